"""Emergencies run on the 24×7 calendar and page the lead on duty, any day, any hour."""

from datetime import datetime

import pytest

from kefu.accounts.actions import create_agent
from kefu.accounts.models import Team
from kefu.delivery.models import Delivery
from kefu.notifications.models import Notification
from kefu.sla.models import SlaClock
from kefu.testing import make_ticket
from kefu.tickets import actions
from kefu.tickets.models import TicketEvent

from .conftest import SHANGHAI


def mark_emergency(personas, ticket):
    return actions.update_ticket(
        ticket=ticket, actor=personas.viewer(personas.alice), changes={"is_emergency": True}
    )


def paged(ticket) -> list[str]:
    return list(
        TicketEvent.objects.filter(ticket=ticket, kind="paged").values_list("new", flat=True)
    )


@pytest.mark.django_db
def test_an_emergency_runs_on_always_and_pages_the_team_lead_on_shift(personas, frozen):
    ticket = mark_emergency(personas, make_ticket(personas.anna))  # Monday 10:00
    first = SlaClock.objects.get(ticket=ticket, metric="first_response")
    assert (first.calendars, first.target) == ("always", "15m")
    assert paged(ticket) == ["L0001"]
    assert Notification.objects.get(kind="page").recipient == personas.lena
    mail = Delivery.objects.get(kind="notification", to=[personas.lena.email])
    assert "on-duty lead" in mail.subject and ticket.number in mail.text


@pytest.mark.django_db
def test_at_night_the_lead_whose_shift_is_open_is_paged(personas, frozen):
    night = create_agent(email="nora@kefu.test", code="L0002", role="lead")
    night.shift_calendar = "always"
    night.save()
    frozen.set(datetime(2026, 11, 28, 3, 0, tzinfo=SHANGHAI))  # Saturday 03:00
    ticket = mark_emergency(personas, make_ticket(personas.anna))
    assert paged(ticket) == ["L0002"]
    first = SlaClock.objects.get(ticket=ticket, metric="first_response")
    assert first.due_at == frozen.now.replace(minute=15)  # no waiting for Monday


@pytest.mark.django_db
def test_with_nobody_on_shift_the_team_lead_is_paged_anyway(personas, frozen):
    frozen.set(datetime(2026, 11, 28, 3, 0, tzinfo=SHANGHAI))
    ticket = mark_emergency(personas, make_ticket(personas.anna))
    assert paged(ticket) == ["L0001"]


@pytest.mark.django_db
def test_a_stolen_account_goes_to_the_security_desk_as_urgent(personas, frozen):
    desk = Team.objects.get(code="security-desk")
    sam = create_agent(email="sec@kefu.test", code="S0001", role="lead", teams=[desk])
    desk.lead = sam
    desk.save()
    ticket = mark_emergency(personas, make_ticket(personas.anna, category="account_access"))
    ticket.refresh_from_db()
    assert (ticket.team, ticket.assignee, ticket.priority) == (desk, sam, "urgent")
    assert Notification.objects.filter(recipient=sam.user).exists()
