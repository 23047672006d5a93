"""Resolving a ticket mails the requester once, with links that confirm or reopen it without
signing in, for that one action only (issue #12, must show 2)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from kefu.delivery.models import Delivery
from kefu.testing import assigned_ticket
from kefu.tickets import actions
from kefu.tickets.models import EventKind, Status

LINK = re.compile(r"https?://[^\s/]+(/t/[^/\s]+/)")


def resolve(personas, **fields):
    ticket = assigned_ticket(personas, **fields)
    actions.change_status(ticket=ticket, actor=personas.viewer(personas.alice), status="resolved")
    return ticket


def the_resolution_mail(ticket) -> Delivery:
    [mail] = Delivery.objects.filter(ticket=ticket, subject__contains=ticket.number,
                                     text__contains="/t/")  # fmt: skip
    return mail


def links(mail: Delivery) -> tuple[str, str]:
    confirm, reopen, *rate = LINK.findall(mail.text)  # then the three rating choices
    assert len(rate) == 3 and len(set(rate)) == 1
    return confirm, reopen


def follow(path: str, **form: str) -> tuple[int, str]:
    """A browser without a session: open the link, press its button."""
    client = Client(enforce_csrf_checks=True)
    page = client.get(path)
    assert page.status_code == 200, page.content
    token = client.cookies["csrftoken"].value
    done = client.post(path, {"csrfmiddlewaretoken": token, **form})
    return done.status_code, done.content.decode()


@pytest.mark.django_db
def test_resolving_queues_exactly_one_mail_to_the_requester(personas):
    ticket = resolve(personas)
    mail = the_resolution_mail(ticket)
    assert mail.to == [personas.anna.email] and mail.kind == Delivery.Kind.NOTIFICATION
    assert f"[{ticket.number}]" in mail.subject and "resolved" in mail.text
    assert len(links(mail)) == 2 and 'href="http' in mail.html
    assert Delivery.objects.filter(ticket=ticket, to=[personas.anna.email]).count() == 1


@pytest.mark.django_db
def test_the_confirm_link_closes_the_ticket_as_the_requester(personas):
    ticket = resolve(personas)
    confirm, reopen = links(the_resolution_mail(ticket))
    status, page = follow(confirm)
    assert status == 200 and "is closed" in page
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    closed = ticket.events.get(kind=EventKind.STATUS, new=Status.CLOSED)
    assert closed.actor == personas.anna
    # Spent: neither link acts again.
    assert Client().get(confirm).status_code in (404, 409)
    assert Client().get(reopen).status_code in (404, 409)


@pytest.mark.django_db
def test_the_reopen_link_reopens_with_the_customers_words(personas):
    ticket = resolve(personas)
    _confirm, reopen = links(the_resolution_mail(ticket))
    status, page = follow(reopen, comment="The parcel still has not arrived.")
    assert status == 200 and "open again" in page
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.events.filter(kind=EventKind.REOPENED, actor=personas.anna).exists()
    said = ticket.messages.latest("created_at")
    assert (said.author, said.body) == (personas.anna, "The parcel still has not arrived.")


@pytest.mark.django_db
def test_a_link_from_an_earlier_resolution_does_nothing_after_the_next(personas):
    ticket = resolve(personas)
    old_confirm, _ = links(the_resolution_mail(ticket))
    agent = personas.viewer(personas.alice)
    actions.change_status(ticket=ticket, actor=agent, status="open")
    actions.change_status(ticket=ticket, actor=agent, status="resolved")
    assert Client().get(old_confirm).status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED


@pytest.mark.django_db
def test_a_forged_link_is_refused_in_the_readers_language(personas):
    answer = Client().get("/t/not-a-real-token/", headers={"Accept-Language": "zh-CN"})
    assert answer.status_code == 404
    assert "链接" in answer.content.decode()


@pytest.mark.django_db
def test_each_step_tells_the_customer(personas):
    ticket = assigned_ticket(personas)
    agent = personas.viewer(personas.alice)
    actions.change_status(ticket=ticket, actor=agent, status="pending_customer")
    actions.change_status(ticket=ticket, actor=agent, status="open")
    actions.change_status(ticket=ticket, actor=agent, status="resolved")
    actions.change_status(ticket=ticket, actor=agent, status="open")  # reopened by support
    to_anna = Delivery.objects.filter(ticket=ticket, to=[personas.anna.email]).order_by("pk")
    texts = [m.text for m in to_anna]
    assert len(texts) == 3
    assert "needs your answer" in texts[0]
    assert "resolved" in texts[1]
    assert "open again" in texts[2]
    shown = personas.anna.notifications.values_list("kind", flat=True)
    assert sorted(shown) == ["pending", "reopened", "resolved"]
