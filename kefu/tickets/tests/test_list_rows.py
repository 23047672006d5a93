"""The list's plain rows (``queries.ticket_rows``) say what a single ticket's ``TicketOut`` says."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from kefu.accounts.access import viewer_for
from kefu.accounts.models import User
from kefu.testing import Personas, api_client, assigned_ticket, make_ticket
from kefu.tickets import actions, queries
from kefu.tickets.models import Ticket
from kefu.tickets.schemas import TicketOut, TicketSummary


def _as_single(ticket: Ticket, user: User) -> dict:
    request = RequestFactory().get("/")
    request.user = user
    full = TicketOut.model_validate(ticket, context={"request": request}).model_dump()
    return {name: full[name] for name in TicketSummary.model_fields}


def _as_rows(user: User) -> dict[str, dict]:
    viewer = viewer_for(user)
    tickets = queries.list_tickets(viewer, queries.TicketFilters())
    rows = queries.ticket_rows(tickets, 0, 50, staff=viewer.is_agent or viewer.system)
    return {row["number"]: TicketSummary.model_validate(row).model_dump() for row in rows}


@pytest.mark.django_db
def test_rows_match_the_single_ticket_shape_for_staff_and_customers(personas: Personas):
    assigned = assigned_ticket(personas, tags=["vip"], order_id="PO-9")
    actions.store_triage(ticket=assigned, details={"routing": {"how": "kept"}}, score=41.5)
    unassigned = make_ticket(personas.anna, category=None)
    by_agent = make_ticket(personas.alice, subject="Filed by an agent")  # requester shown by id
    for user in (personas.ada, personas.anna):
        rows = _as_rows(user)
        for ticket in (assigned, unassigned, by_agent):
            if ticket.number in rows:
                fresh = queries.get_ticket(viewer_for(user), ticket.number)
                assert rows[ticket.number] == _as_single(fresh, user)
    staff_row = _as_rows(personas.ada)[assigned.number]
    assert staff_row["assignee"] == personas.alice.agent.code and staff_row["score"] == 41.5
    assert _as_rows(personas.anna)[assigned.number]["triage"] is None  # the team's business
    assert _as_rows(personas.ada)[by_agent.number]["requester"] == personas.alice.agent.code


@pytest.mark.django_db
def test_a_page_keeps_the_list_order(personas: Personas):
    numbers = [make_ticket(personas.anna, subject=f"Question {i}").number for i in range(7)]
    client = api_client(personas.ada)
    pages = [client.get(f"/api/v1/tickets?page={page}&page_size=3").json() for page in (1, 2, 3)]
    listed = [row["number"] for page in pages for row in page["results"]]
    assert listed == list(reversed(numbers))  # newest first, across pages
    assert [page["count"] for page in pages] == [7, 7, 7]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_counts_are_kept_briefly_and_forgotten_when_a_ticket_changes(personas: Personas, settings):
    settings.TESTING = False  # the cache is off in tests unless asked for
    viewer = viewer_for(personas.ada)
    filters = queries.TicketFilters()
    first = make_ticket(personas.anna)
    assert queries.count_up_to(viewer, filters, 100) == 1
    # Written behind the actions' back, as another process's write looks from here.
    Ticket.objects.bulk_create([Ticket(number="KF20200101999", requester=personas.anna,
                                       channel="web", subject="bulk", created_at=first.created_at,
                                       updated_at=first.updated_at)])  # fmt: skip
    assert queries.count_up_to(viewer, filters, 100) == 1  # kept
    make_ticket(personas.anna)  # committed through the actions: counts are forgotten
    assert queries.count_up_to(viewer, filters, 100) == 3
