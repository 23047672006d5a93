"""Optimistic concurrency in the API (issue #13): a PATCH that sends the ticket's ``version``
(or ``If-Match``) as it last read it is refused with 409 ``ticket_changed`` when the ticket
changed since, and changes nothing; without a version, a PATCH applies as before."""

from __future__ import annotations

import pytest

from kefu.testing import api_client, make_ticket
from kefu.tickets import actions
from kefu.tickets.models import Status


def _patch(client, number: str, body: dict, **headers: str):
    return client.patch(
        f"/api/v1/tickets/{number}", body, content_type="application/json", headers=headers
    )


@pytest.mark.django_db
def test_a_patch_with_a_stale_version_changes_nothing(personas):
    ticket = make_ticket(personas.anna)
    client = api_client(personas.alice)
    seen = client.get(f"/api/v1/tickets/{ticket.number}").json()["version"]
    actions.add_message(ticket=ticket, actor=personas.viewer(personas.anna), body="Any news?")

    refused = _patch(client, ticket.number, {"priority": "high", "version": seen})
    assert refused.status_code == 409
    assert refused.json()["code"] == "ticket_changed"
    by_header = _patch(client, ticket.number, {"priority": "high"}, If_Match=f'"{seen}"')
    assert by_header.status_code == 409
    ticket.refresh_from_db()
    assert ticket.priority == "normal"

    fresh = client.get(f"/api/v1/tickets/{ticket.number}").json()["version"]
    done = _patch(client, ticket.number, {"priority": "high", "version": fresh})
    assert done.status_code == 200
    assert done.json()["priority"] == "high" and done.json()["version"] != fresh


@pytest.mark.django_db
def test_a_patch_without_a_version_applies(personas):
    ticket = make_ticket(personas.anna)
    client = api_client(personas.alice)
    answer = _patch(client, ticket.number, {"status": Status.OPEN})
    assert answer.status_code == 200 and answer.json()["status"] == "open"
