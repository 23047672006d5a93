"""A search with filters matches the filters in the index too (``@status.open`` tokens): a
status, team or assignee change moves a ticket in and out of a filtered search as it commits,
and no search box query reaches those tokens."""

from __future__ import annotations

import pytest

from kefu.search import queries as search
from kefu.search.models import TicketDocument
from kefu.testing import Personas, make_ticket
from kefu.tickets import actions
from kefu.tickets.models import Ticket
from kefu.tickets.queries import TicketFilters, count_up_to, list_tickets


def _numbers(personas: Personas, **filters: str) -> list[str]:
    viewer = personas.viewer(personas.ada)
    return [t.number for t in list_tickets(viewer, TicketFilters(**filters))]


def _in_index(ticket: Ticket, query: str, *required: str) -> bool:
    """Whether the index alone (no ticket filter) matches ``query`` and the filter tokens."""
    found = search.candidates(Ticket.objects.all(), query, staff=True, required=required)
    return ticket.pk in [pk for pk, _ in found]


@pytest.mark.django_db
def test_a_status_change_moves_a_ticket_in_and_out_of_a_filtered_search(personas: Personas):
    ticket = make_ticket(personas.anna, body="退款申请还没处理")
    ada = personas.viewer(personas.ada)
    assert _numbers(personas, q="退款", status="open") == []
    actions.change_status(ticket=ticket, actor=ada, status="open")
    assert _numbers(personas, q="退款", status="open") == [ticket.number]
    assert _in_index(ticket, "退款", "@status.open")
    assert count_up_to(ada, TicketFilters(q="退款", status="open"), 100) == 1
    actions.change_status(ticket=ticket, actor=ada, status="resolved")
    assert _numbers(personas, q="退款", status="open") == []
    assert not _in_index(ticket, "退款", "@status.open")
    assert _numbers(personas, q="退款", status="resolved") == [ticket.number]
    assert _in_index(ticket, "退款", "@status.resolved")


@pytest.mark.django_db
def test_a_team_or_assignee_change_moves_a_ticket_into_their_search(personas: Personas):
    ticket = make_ticket(personas.anna, body="发票抬头写错了")
    ada = personas.viewer(personas.ada)
    actions.update_ticket(ticket=ticket, actor=ada, changes={"team": personas.billing})
    assert _numbers(personas, q="发票", team="billing") == [ticket.number]
    assert _numbers(personas, q="发票", team="orders") == []
    assert _in_index(ticket, "发票", f"@team_id.{personas.billing.pk}", "@assignee_id.none")
    assert _numbers(personas, q="发票", assignee="none") == [ticket.number]
    actions.update_ticket(ticket=ticket, actor=ada, changes={"assignee": personas.bob.agent})
    assert _numbers(personas, q="发票", assignee="A0002") == [ticket.number]
    assert _numbers(personas, q="发票", assignee="none") == []
    assert _in_index(ticket, "发票", f"@assignee_id.{personas.bob.agent.pk}")
    assert not _in_index(ticket, "发票", "@assignee_id.none")
    assert _numbers(personas, q="发票", assignee="A0002", org="acme", channel="web") == [
        ticket.number
    ]
    assert _numbers(personas, q="发票", team="no-such-team") == []


@pytest.mark.django_db
def test_the_filter_tokens_are_not_searchable(personas: Personas):
    ticket = make_ticket(personas.anna, body="物流信息一直没有更新")
    head = TicketDocument.objects.get(pk=ticket.pk).head
    assert f"@status.{ticket.status}" in head.split()
    assert _numbers(personas, q=f"@status.{ticket.status}") == []
    assert _numbers(personas, q=f"status.{ticket.status}") == []
