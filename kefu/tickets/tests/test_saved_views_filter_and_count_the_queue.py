"""Saved views: every agent has the shipped defaults (my open urgent, awaiting evidence,
breaching within 1 h); agents save their own from the queue, leads share theirs with a team;
the sidebar and ``GET /api/v1/views`` show each with its count."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from kefu.sla.models import SlaClock
from kefu.testing import api_client, make_ticket, session_client
from kefu.tickets import actions
from kefu.tickets.models import SavedView, Status


def _desk(user):
    client = session_client(user)
    client.get("/desk/")  # sets the CSRF cookie
    return client


def _post(client, url: str, data: dict):
    return client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, **data})


def _sidebar(client) -> dict[str, int]:
    html = client.get("/desk/saved-views/").content.decode()
    found = re.findall(
        r'data-saved-view="([\w-]+)"[^>]*><span class="name">[^<]*</span> '
        r'<span class="count">(\d+)',
        html,
    )
    return {key: int(n) for key, n in found}


@pytest.mark.django_db
def test_the_shipped_defaults_count_what_they_say(personas):
    alice = personas.viewer(personas.alice)
    urgent = make_ticket(personas.anna)
    actions.update_ticket(ticket=urgent, actor=alice,
                          changes={"priority": "urgent", "assignee": personas.alice.agent})  # fmt: skip
    waiting = make_ticket(personas.anna)
    actions.change_status(ticket=waiting, actor=alice, status=Status.PENDING_CUSTOMER)
    due_soon = make_ticket(personas.anna)
    SlaClock.objects.filter(ticket=due_soon).update(
        state="running", breached_at=None, due_at=timezone.now() + timedelta(minutes=30)
    )
    SlaClock.objects.exclude(ticket=due_soon).update(due_at=timezone.now() + timedelta(days=3))
    counts = _sidebar(session_client(personas.alice))
    assert counts == {"my-open-urgent": 1, "awaiting-evidence": 1, "breaching-1h": 1}
    page = session_client(personas.alice).get("/desk/?breaching=1h").content.decode()
    assert due_soon.number in page and waiting.number not in page
    # A view's filters are the API list's parameters too.
    found = api_client(personas.alice).get("/api/v1/tickets?breaching=1h").json()
    assert [t["number"] for t in found["results"]] == [due_soon.number]


@pytest.mark.django_db
def test_an_agent_saves_renames_and_deletes_a_view_from_the_queue(personas):
    make_ticket(personas.anna, subject="Invoice missing")
    make_ticket(personas.anna)
    client = _desk(personas.alice)
    response = _post(client, "/desk/saved-views/new/", {"name": "Invoices", "q": "Invoice",
                                                         "status": "", "bogus": "x"})  # fmt: skip
    view = SavedView.objects.get(owner=personas.alice.agent)
    assert view.filters == {"q": "Invoice"}
    assert response.status_code == 302 and f"view={view.pk}" in response["Location"]
    assert _sidebar(client)[str(view.pk)] == 1
    _post(client, f"/desk/saved-views/{view.pk}/", {"name": "Rechnungen"})
    view.refresh_from_db()
    assert view.name == "Rechnungen"
    bob = _desk(personas.bob)
    assert _post(bob, f"/desk/saved-views/{view.pk}/", {"delete": "1"}).status_code == 404
    _post(client, f"/desk/saved-views/{view.pk}/", {"delete": "1"})
    assert not SavedView.objects.exists()


@pytest.mark.django_db
def test_a_view_without_a_name_is_refused(personas):
    _post(_desk(personas.alice), "/desk/saved-views/new/", {"name": "  ", "priority": "urgent"})
    assert not SavedView.objects.exists()


@pytest.mark.django_db
def test_a_lead_shares_a_view_with_the_team_and_only_the_lead_may_change_it(personas):
    _post(_desk(personas.lena), "/desk/saved-views/new/", {"name": "Team urgent", "priority": "urgent",
                                         "team_shared": "orders"})  # fmt: skip
    shared = SavedView.objects.get(team=personas.orders)
    # Alice (orders) sees it, Bob (billing) does not; Alice may not rename it.
    alice_views = api_client(personas.alice).get("/api/v1/views").json()
    mine = next(v for v in alice_views if v["id"] == str(shared.pk))
    assert (mine["kind"], mine["team"], mine["editable"]) == ("team", str(personas.orders), False)
    assert [v["kind"] for v in alice_views[:3]] == ["default"] * 3
    bob_ids = [v["id"] for v in api_client(personas.bob).get("/api/v1/views").json()]
    assert str(shared.pk) not in bob_ids
    alice = _desk(personas.alice)
    _post(alice, f"/desk/saved-views/{shared.pk}/", {"name": "Mine now"})
    shared.refresh_from_db()
    assert shared.name == "Team urgent"
    # An agent cannot share with a team they do not lead.
    _post(alice, "/desk/saved-views/new/", {
        "name": "Sneaky", "priority": "high", "team_shared": "orders"})  # fmt: skip
    assert not SavedView.objects.filter(name="Sneaky").exists()


@pytest.mark.django_db
def test_customers_have_no_views(personas):
    assert api_client(personas.anna).get("/api/v1/views").status_code == 403
    assert session_client(personas.anna).get("/desk/saved-views/").status_code == 404
