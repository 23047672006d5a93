"""SLA warnings, breaches and urgent marks escalate along the category's path."""

from datetime import datetime

import pytest

from kefu.accounts.actions import create_agent
from kefu.accounts.models import Agent, Team
from kefu.delivery.models import Delivery
from kefu.notifications.models import Notification
from kefu.sla import sweep
from kefu.testing import assigned_ticket, make_ticket
from kefu.tickets import actions
from kefu.tickets.models import TicketEvent

from .conftest import SHANGHAI


def shanghai(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def inbox(kind: str) -> set[str]:
    return set(
        Notification.objects.filter(kind=kind).values_list("recipient__agent__code", flat=True)
    )


def lead_of(team_code: str, code: str) -> Agent:
    team = Team.objects.get(code=team_code)
    agent = create_agent(email=f"{code.lower()}@kefu.test", code=code, role="lead", teams=[team])
    team.lead = agent
    team.save()
    return agent


@pytest.mark.django_db
def test_default_path_warns_the_assignee_and_team_lead_then_mails_on_breach(personas, frozen):
    ticket = assigned_ticket(personas)  # order_trade: no path of its own, so the default path
    frozen.set(shanghai(23, 17))  # first response (1 working day) warns at 75 %: 16:45
    assert sweep.sweep(frozen.now) >= 1
    assert inbox("sla_warning") == {"A0001", "L0001"}
    assert not Delivery.objects.exists()
    frozen.set(shanghai(24, 10, 1))
    sweep.sweep(frozen.now)
    assert inbox("sla_breach") == {"A0001", "L0001"}
    mail = Delivery.objects.filter(kind="notification", ticket=ticket)
    # Both the first response and the resolution were due on Tuesday 10:00.
    assert sorted(m.to[0] for m in mail) == ["alice@kefu.test"] * 2 + ["lena@kefu.test"] * 2
    assert any("overdue" in m.subject for m in mail)  # Alice and Lena read English
    escalated = TicketEvent.objects.filter(ticket=ticket, kind="escalated")
    assert [(e.data["trigger"], e.data["path"]) for e in escalated][-1] == ("sla_breach", "default")


@pytest.mark.django_db
def test_shipment_breach_reaches_the_operations_response_lead_and_raises_priority(personas, frozen):
    olga = lead_of("ops-response", "L0900")
    ticket = assigned_ticket(personas, category="shipment_logistics")
    frozen.set(shanghai(24, 10, 1))
    sweep.sweep(frozen.now)
    ticket.refresh_from_db()
    assert ticket.priority == "high"
    assert "L0900" in inbox("sla_breach") and "A0001" in inbox("sla_breach")
    assert Delivery.objects.filter(to=[olga.user.email]).exists()
    first, second = TicketEvent.objects.filter(
        ticket=ticket, kind="escalated", data__trigger="sla_breach"
    )
    assert first.data["changes"] == {"priority": "high"} and "L0900" in first.data["notified"]
    assert second.data["changes"] == {}  # already high: the second breach raises nothing


@pytest.mark.django_db
def test_integration_breach_is_reassigned_to_the_integration_specialists(personas, frozen):
    ivan = lead_of("integration-experts", "L0700")
    ticket = assigned_ticket(personas, category="integration_tech")
    frozen.set(shanghai(24, 10, 1))
    sweep.sweep(frozen.now)
    ticket.refresh_from_db()
    assert (ticket.team.code, ticket.assignee, ticket.priority) == (
        "integration-experts",
        ivan,
        "high",
    )
    assert TicketEvent.objects.filter(
        ticket=ticket, kind="team", new="integration-experts"
    ).exists()


@pytest.mark.django_db
def test_an_urgent_mark_notifies_the_path_lead_at_once(personas, frozen):
    lead_of("reconciliation", "L0800")
    ticket = make_ticket(personas.anna, category="payment_billing")
    actions.update_ticket(
        ticket=ticket, actor=personas.viewer(personas.bob), changes={"priority": "urgent"}
    )
    assert inbox("urgent") == {"L0800"}
    assert TicketEvent.objects.filter(
        ticket=ticket, kind="escalated", data__trigger="urgent"
    ).exists()


@pytest.mark.django_db
def test_without_a_path_lead_the_lead_on_duty_is_notified(personas, frozen):
    make_ticket(personas.anna, category="payment_billing", priority="urgent")
    assert inbox("urgent") == {"L0001"}  # Lena leads orders and is on shift (cn-standard, Monday)
