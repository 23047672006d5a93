"""A merchant deposit problem is a funds problem: solved within 48 clock hours, answered on the
ordinary track (not the urgent 2-hour one), from the ticket's triage through to its clocks."""

import pytest

from kefu.sla.models import SlaClock, SlaPolicy
from kefu.sla.policies import TicketFacts, choose
from kefu.testing import api_client, make_personas
from kefu.tickets.models import Ticket

DEPOSIT = dict(channel="web", priority="high", category_id="payment_billing", org_tier="standard",
               complexity="simple", tags=frozenset({"funds", "deposit"}), emergency=False,
               complaint=False)  # fmt: skip


@pytest.mark.django_db
def test_the_deposit_policy_sets_the_resolution_and_nothing_urgent():
    chosen = choose(SlaPolicy.objects.all(), TicketFacts(**DEPOSIT))
    assert chosen["resolution"].code == "deposit"
    assert (chosen["resolution"].resolution, chosen["resolution"].calendar.code) == (
        "48h",
        "always",
    )
    assert chosen["first_response"].code == "default"


@pytest.mark.django_db
def test_a_frozen_deposit_ticket_gets_the_48_hour_clock():
    personas = make_personas()
    response = api_client(personas.anna).post(
        "/api/v1/tickets",
        {"subject": "保证金冻结", "body": "店铺保证金被冻结了，关店后一直没有退回。"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(number=response.json()["number"])
    assert ticket.priority == "high" and not ticket.is_emergency
    clocks = {c.metric: (c.target, c.calendars) for c in SlaClock.objects.filter(ticket=ticket)}
    assert clocks["resolution"] == ("48h", "always")
    assert clocks["first_response"][0] != "2h"
