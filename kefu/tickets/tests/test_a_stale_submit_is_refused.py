"""Optimistic concurrency on the desk (issue #13): a reply or a change sent from a ticket page
opened before someone else changed the ticket is refused with a message asking to review what
is new; what was typed or chosen comes back in the form, and nothing is overwritten."""

from __future__ import annotations

import re

import pytest

from kefu.testing import make_ticket, session_client
from kefu.tickets import actions
from kefu.tickets.models import Message, Status

VERSION = re.compile(r'name="version" value="([^"]+)"')


def _open(client, url: str) -> str:
    versions = set(VERSION.findall(client.get(url).content.decode()))
    assert len(versions) == 1  # the reply, take and update forms carry the same version
    return versions.pop()


def _post(client, url: str, data: dict):
    return client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, **data})


@pytest.mark.django_db
def test_a_reply_on_a_ticket_that_changed_comes_back_with_its_text(personas):
    ticket = make_ticket(personas.anna)
    client = session_client(personas.alice)
    url = f"/desk/t/{ticket.number}/"
    seen = _open(client, url)
    actions.add_message(ticket=ticket, actor=personas.viewer(personas.anna), body="Any news?")

    refused = _post(client, url, {"body": "Shipped today, PO-1 is on its way.", "version": seen})
    page = refused.content.decode()
    assert refused.status_code == 409
    assert "changed since you opened it" in page
    assert "Shipped today, PO-1 is on its way." in page  # the textarea keeps the text
    assert "Any news?" in page  # and the page shows what is new
    assert not Message.objects.filter(ticket=ticket, body__startswith="Shipped").exists()

    fresh = VERSION.search(page).group(1)
    sent = _post(client, url, {"body": "Shipped today, PO-1 is on its way.", "version": fresh})
    assert sent.status_code == 302
    assert Message.objects.filter(ticket=ticket, body__startswith="Shipped").count() == 1


@pytest.mark.django_db
def test_a_status_change_from_a_stale_page_overwrites_nothing(personas):
    ticket = make_ticket(personas.anna)
    client = session_client(personas.alice)
    url = f"/desk/t/{ticket.number}/"
    seen = _open(client, url)
    actions.change_status(
        ticket=ticket, actor=personas.viewer(personas.lena), status=Status.PENDING_CUSTOMER
    )
    chosen = {"status": "resolved", "priority": "high", "complexity": "simple", "category": "",
              "team": personas.orders.pk, "assignee": ""}  # fmt: skip
    refused = _post(client, url + "update/", {**chosen, "version": seen})
    page = refused.content.decode()
    assert refused.status_code == 409
    assert "changed since you opened it" in page
    assert re.search(r'<option value="resolved" selected>', page)  # the choice comes back
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority) == (Status.PENDING_CUSTOMER, "normal")


@pytest.mark.django_db
def test_assign_to_me_from_a_stale_page_is_refused(personas):
    ticket = make_ticket(personas.anna)
    client = session_client(personas.alice)
    url = f"/desk/t/{ticket.number}/"
    seen = _open(client, url)
    actions.update_ticket(
        ticket=ticket,
        actor=personas.viewer(personas.lena),
        changes={"assignee": personas.lena.agent},
    )
    assert _post(client, url + "update/", {"take": "1", "version": seen}).status_code == 409
    ticket.refresh_from_db()
    assert ticket.assignee == personas.lena.agent


@pytest.mark.django_db
def test_a_reply_from_an_up_to_date_page_goes_through(personas):
    ticket = make_ticket(personas.anna)
    client = session_client(personas.alice)
    url = f"/desk/t/{ticket.number}/"
    assert _post(client, url, {"body": "On it.", "version": _open(client, url)}).status_code == 302
    assert _post(client, url, {"body": "Again.", "version": _open(client, url)}).status_code == 302
