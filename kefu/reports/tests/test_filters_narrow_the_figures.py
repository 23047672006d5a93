"""Each report filter (channel, category, team, agent, organisation tier, language) counts
exactly the tickets that match it, as a plain query over the tickets says; the dashboard and
its CSV give the same count."""

import pytest
from django.utils import timezone

from kefu.accounts.models import Organization
from kefu.reports import rollup
from kefu.testing import api_client, make_ticket, session_client
from kefu.tickets import actions
from kefu.tickets.models import Ticket


def build(p) -> None:  # type: ignore[no-untyped-def]
    Organization.objects.filter(pk=p.acme.pk).update(tier=Organization.Tier.KEY_ACCOUNT)
    make_ticket(p.anna)  # web, order question, orders team
    make_ticket(p.anna, channel="email", category="payment_billing", language="zh")
    mine = make_ticket(p.otto, channel="chat")
    actions.update_ticket(ticket=mine, actor=p.viewer(p.lena), changes={"assignee": p.alice.agent})
    make_ticket(p.otto, category="payment_billing", language="en")
    while rollup.sweep(timezone.now()):
        pass


def expected(query: str) -> int:
    key, _, value = query.partition("=")
    tickets = Ticket.objects.all()
    match key:
        case "channel":
            return tickets.filter(channel=value).count()
        case "category":
            return tickets.filter(category__code=value).count()
        case "team":
            return tickets.filter(team__code=value).count()
        case "agent":
            return tickets.filter(assignee__code=value).count()
        case "tier":
            return tickets.filter(organization__tier=value).count()
        case "language":
            return tickets.filter(language=value).count()
    raise AssertionError(query)


QUERIES = ["channel=chat", "channel=email", "category=payment_billing", "team=orders",
           "team=billing", "agent=A0001", "tier=key_account", "tier=standard", "language=en",
           "language=zh"]  # fmt: skip


@pytest.mark.django_db
def test_every_filter_counts_the_matching_tickets(personas):
    build(personas)
    admin = api_client(personas.ada)
    assert admin.get("/api/v1/reports/summary").json()["tickets_created"] == 4
    for query in QUERIES:
        want = expected(query)
        got = admin.get(f"/api/v1/reports/summary?{query}").json()["tickets_created"]
        assert got == want, query
        csv = session_client(personas.ada).get(f"/desk/reports/export?format=csv&{query}")
        assert f"Tickets created,{want}," in csv.content.decode(), query
    assert {expected(q) for q in QUERIES} != {0}, "the filters separate the tickets"
    both = admin.get("/api/v1/reports/summary?team=orders&channel=web").json()
    assert (
        both["tickets_created"] == Ticket.objects.filter(team__code="orders", channel="web").count()
    )
