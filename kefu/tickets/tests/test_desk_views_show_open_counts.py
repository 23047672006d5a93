"""The desk's top bar shows each view with its open tickets (queue, mine, unassigned), counted
within what the agent may see; the live socket re-reads them (``/desk/views/``) on a change."""

from __future__ import annotations

import re

import pytest

from kefu.testing import make_ticket, session_client
from kefu.tickets import actions
from kefu.tickets.models import Status


def _counts(client) -> dict[str, int]:
    html = client.get("/desk/views/").content.decode()
    found = re.findall(r'data-view="(\w+)">[^<]*<span class="count">(\d+)</span>', html)
    return {view: int(n) for view, n in found}


@pytest.mark.django_db
def test_the_views_count_open_tickets_the_agent_may_see(personas):
    first = make_ticket(personas.anna)
    make_ticket(personas.anna)
    make_ticket(personas.anna, category="payment_billing")  # billing's: not Alice's to see
    alice = session_client(personas.alice)
    assert _counts(alice) == {"queue": 2, "mine": 0, "unassigned": 2}
    actions.update_ticket(
        ticket=first,
        actor=personas.viewer(personas.alice),
        changes={"assignee": personas.alice.agent},
    )
    assert _counts(alice) == {"queue": 2, "mine": 1, "unassigned": 1}
    actions.change_status(
        ticket=first, actor=personas.viewer(personas.alice), status=Status.RESOLVED
    )
    assert _counts(alice) == {"queue": 1, "mine": 0, "unassigned": 1}
    assert 'id="queue-views"' in alice.get("/desk/").content.decode()  # in the top bar


@pytest.mark.django_db
def test_customers_cannot_read_the_desk_counts(personas):
    assert session_client(personas.anna).get("/desk/views/").status_code in (302, 403, 404)


@pytest.mark.django_db
def test_a_count_stops_at_the_limit_and_says_so(personas, monkeypatch):
    monkeypatch.setattr("kefu.tickets.queries.VIEW_COUNT_LIMIT", 2)
    for _ in range(3):
        make_ticket(personas.anna)
    html = session_client(personas.alice).get("/desk/views/").content.decode()
    assert 'data-view="queue">Queue <span class="count">3+</span>' in html
    assert 'data-view="mine">Mine <span class="count">0</span>' in html
