"""A surge of one category opens one linked incident ticket, owned by the path's lead."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.accounts.actions import create_agent
from kefu.accounts.models import Agent, Team
from kefu.escalation import actions as escalation_actions
from kefu.escalation.models import SurgeIncident
from kefu.notifications.models import Notification
from kefu.testing import make_ticket
from kefu.tickets import actions
from kefu.tickets.models import Category, Ticket


def olga():
    team = Team.objects.get(code="ops-response")
    agent = create_agent(email="olga@kefu.test", code="L0900", role="lead", teams=[team])
    team.lead = agent
    team.save()
    return agent


def shipment_tickets(personas, frozen, count: int) -> list[Ticket]:
    made = []
    for n in range(count):
        frozen.advance(minutes=2)
        made.append(make_ticket(personas.anna, category="shipment_logistics", subject=f"Stuck {n}"))
    return made


@pytest.mark.django_db
def test_ten_shipment_tickets_in_thirty_minutes_open_one_incident(personas, frozen):
    lead = olga()
    first = shipment_tickets(personas, frozen, 9)
    assert not SurgeIncident.objects.exists()
    tenth = shipment_tickets(personas, frozen, 1)[0]
    incident = SurgeIncident.objects.get()
    owned = incident.ticket
    assert (owned.assignee, owned.team.code, owned.priority, owned.category.code) == (
        lead, "ops-response", "urgent", "shipment_logistics",
    )  # fmt: skip
    assert owned.tags == ["incident"]
    members = Ticket.objects.filter(related_to=owned, relation="incident")
    assert set(members) == {*first, tenth}
    tenth.refresh_from_db()
    assert tenth.related_to == owned
    assert Notification.objects.filter(kind="surge", recipient=lead.user, ticket=owned).count() == 1
    assert Notification.objects.get(kind="surge").params["count"] == 10

    eleventh = shipment_tickets(personas, frozen, 1)[0]
    eleventh.refresh_from_db()
    assert eleventh.related_to == owned and SurgeIncident.objects.count() == 1
    assert SurgeIncident.objects.get().linked_count == 11


@pytest.mark.django_db
def test_the_ticket_that_opens_a_surge_links_all_its_members_in_one_write(personas, frozen):
    olga()
    shipment_tickets(personas, frozen, 9)
    with CaptureQueriesContext(connection) as run:
        tenth = shipment_tickets(personas, frozen, 1)[0]
    links = [q["sql"] for q in run.captured_queries if '"related_to_id" =' in q["sql"]
             and q["sql"].startswith('UPDATE "tickets_ticket"')]  # fmt: skip
    assert len(links) == 1
    owned = SurgeIncident.objects.get().ticket
    assert Ticket.objects.filter(related_to=owned).count() == 10
    assert tenth.events.filter(kind="related_to", new=owned.number).count() == 1


@pytest.mark.django_db
def test_other_categories_and_quiet_periods_do_not_join_the_incident(personas, frozen):
    olga()
    shipment_tickets(personas, frozen, 10)
    other = make_ticket(personas.anna, category="order_trade")
    assert other.related_to is None
    frozen.advance(minutes=31)  # the surge is over: the next ticket stands alone
    later = shipment_tickets(personas, frozen, 1)[0]
    later.refresh_from_db()
    assert later.related_to is None and SurgeIncident.objects.count() == 1


@pytest.mark.django_db
def test_a_ticket_recategorised_into_a_surge_joins_it(personas, frozen):
    olga()
    shipment_tickets(personas, frozen, 10)
    moved = make_ticket(personas.anna, category="other")
    actions.update_ticket(
        ticket=moved,
        actor=personas.viewer(personas.lena),
        changes={"category": Category.objects.get(code="shipment_logistics")},
    )
    moved.refresh_from_db()
    assert moved.related_to == SurgeIncident.objects.get().ticket


@pytest.mark.django_db
def test_a_surge_nobody_can_own_opens_nothing_and_warns_once(personas, frozen, caplog):
    # Nobody to own it: no team lead, no lead, no admin.
    Team.objects.update(lead=None)
    Agent.objects.filter(role__in=[Agent.Role.ADMIN, Agent.Role.LEAD]).update(role=Agent.Role.AGENT)
    escalation_actions._unowned_warned.clear()
    with caplog.at_level("WARNING", logger="kefu.escalation"):
        shipment_tickets(personas, frozen, 12)
    assert not SurgeIncident.objects.exists()
    warnings = [r.getMessage() for r in caplog.records if "nobody to own" in r.getMessage()]
    assert warnings == ["surge on shipment but nobody to own the incident"]
    olga()  # a lead arrives: the surge, still going, gets its incident
    shipment_tickets(personas, frozen, 1)
    assert SurgeIncident.objects.count() == 1
