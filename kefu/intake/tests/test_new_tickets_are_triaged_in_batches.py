"""A new ticket's caller is answered once the ticket is written; the worker derives the rest in
batches, and what it derives is what the caller's own transaction would have (issue #18)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kefu.delivery.models import Delivery
from kefu.intake import derivation
from kefu.intake.base import InboundMessage, TicketFields
from kefu.intake.ingest import ingest
from kefu.notifications.models import Notification
from kefu.sla.models import SlaClock
from kefu.testing import api_client
from kefu.tickets import actions
from kefu.tickets.models import Ticket
from kefu.triage import pipeline as triage

BATCHED = override_settings(KEFU_DERIVE_NEW_TICKETS="batched")


@pytest.fixture(autouse=True)
def _worker_not_known_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    derivation._behind["until"] = 0.0  # each test reads the backlog afresh
    # A slow machine must not put the worker behind between a test's own tickets (the
    # back-pressure test backdates its ticket past whatever the bound is).
    monkeypatch.setattr(derivation, "MAX_LAG", timedelta(minutes=5))


def _inbound(personas: Any, n: int) -> list[InboundMessage]:
    """Mail from a proven and a stranger's address, API and portal tickets, one missing the
    evidence its category needs, an urgent funds case, a chat."""

    def mail(sender: str, subject: str, text: str, proof: str = "mail:dkim") -> InboundMessage:
        return InboundMessage("email", f"m{n}-{subject}@x", text, subject=subject,
                              sender_address=sender, sender_proof=proof, mailbox="service")  # fmt: skip

    return [
        mail("anna@acme.test", "货物破损", "订单 PO-7731 的 12 台显示器到货破损，请安排退款。"),
        mail(
            "someone@elsewhere.test",
            "Invoice",
            "Please correct the VAT number on my invoice.",
            proof="",
        ),
        InboundMessage(
            "api",
            f"a{n}",
            "Our payout for last week is on hold, funds frozen.",
            subject="Payout held",
            user=personas.anna,
        ),
        InboundMessage(
            "web",
            f"w{n}",
            "I was charged twice for order PO-1200.",
            subject="Double charge",
            user=personas.otto,
            fields=TicketFields(category="payment_billing"),
        ),
        InboundMessage("chat", f"c{n}", "物流一直没有更新，单号 SF1234567890", user=personas.sam),
    ]


def _derived(ticket: Ticket) -> dict[str, Any]:
    """What the flow derives of a new ticket, without what differs between two runs (numbers,
    ids, instants)."""
    ticket.refresh_from_db()
    triage_details = dict(ticket.triage)
    routing = dict(triage_details.pop("routing", {}))
    routing.pop("at", None)
    return {
        "state": (
            ticket.status,
            ticket.priority,
            ticket.team_id,
            ticket.assignee_id,
            ticket.category_id,
            sorted(ticket.tags),
            round(ticket.score, 3),
        ),
        "triage": sorted(triage_details),
        "routing": routing,
        "clocks": sorted(
            (c.metric, c.policy_id, c.target, c.state)
            for c in SlaClock.objects.filter(ticket=ticket)
        ),
        "events": Counter(ticket.events.values_list("kind", flat=True)),
        "deliveries": Counter(
            (channel, kind, tuple(to))
            for channel, kind, to in Delivery.objects.filter(ticket=ticket).values_list(
                "channel", "kind", "to"
            )
        ),
        "notifications": Counter(
            Notification.objects.filter(ticket=ticket).values_list("recipient_id", "kind")
        ),
    }


class _Undo(Exception):
    pass


def _derived_inline(personas: Any) -> list[dict[str, Any]]:
    """Each message ingested with its triage in the caller's transaction, then undone."""
    seen = []
    try:
        with transaction.atomic():
            for message in _inbound(personas, 1):
                seen.append(_derived(ingest(message).ticket))
            raise _Undo
    except _Undo:
        return seen


@pytest.mark.django_db
def test_the_worker_derives_what_the_caller_s_transaction_would_have(personas):
    inline = _derived_inline(personas)
    with BATCHED:
        results = [ingest(message) for message in _inbound(personas, 2)]
    waiting = [r.ticket for r in results if r.ticket.being_triaged]
    assert [t.channel for t in waiting] == ["email", "email", "api", "web"]  # not the chat
    for ticket in waiting:
        assert not SlaClock.objects.filter(ticket=ticket).exists()
        assert "routing" not in ticket.triage
    assert derivation.derive_waiting(timezone.now()) == 4
    assert not Ticket.objects.filter(being_triaged=True).exists()
    assert [_derived(r.ticket) for r in results] == inline


@pytest.mark.django_db
def test_a_ticket_is_derived_once_even_if_a_reply_came_first(personas):
    with BATCHED:
        opened = ingest(InboundMessage("api", "a1", "Where is my order PO-5512? It is late.",
                                       subject="Late order", user=personas.anna)).ticket  # fmt: skip
        actions.add_message(ticket=opened, actor=personas.viewer(personas.anna), body="Any news?")
    assert derivation.derive_waiting(timezone.now()) == 1
    assert derivation.derive_waiting(timezone.now()) == 0
    assert SlaClock.objects.filter(ticket=opened, metric="first_response").count() == 1
    kinds = Counter(opened.events.values_list("kind", flat=True))
    assert kinds["created"] == 1 and kinds["reply"] == 2


@pytest.mark.django_db
def test_the_api_answers_with_the_ticket_being_triaged_and_the_desk_then_sees_it_routed(personas):
    with BATCHED:
        created = api_client(personas.anna).post(
            "/api/v1/tickets",
            {"subject": "Damaged screens", "body": "12 of 200 screens arrived cracked.",
             "category": "after_sales", "order_id": "PO-66510"},
            content_type="application/json",
        )  # fmt: skip
    assert created.status_code == 201, created.content
    assert created.json()["being_triaged"] is True
    number = created.json()["number"]
    derivation.derive_waiting(timezone.now())
    seen = api_client(personas.ada).get(f"/api/v1/tickets/{number}").json()
    assert seen["being_triaged"] is False
    assert seen["team"] == "after-sales" and "routing" in seen["triage"]


@pytest.mark.django_db
def test_a_ticket_that_cannot_be_derived_stays_waiting_and_the_others_go_on(personas, monkeypatch):
    with BATCHED:
        tickets = [ingest(m).ticket for m in _inbound(personas, 3)[:3]]
    broken = tickets[1]
    after_create = triage.after_create

    def failing_for_one(*, ticket: Ticket) -> None:
        if ticket.pk == broken.pk:
            raise RuntimeError("routing table unreadable")
        after_create(ticket=ticket)

    monkeypatch.setattr(triage, "after_create", failing_for_one)
    assert derivation.derive_waiting(timezone.now()) == 2
    assert list(Ticket.objects.filter(being_triaged=True)) == [broken]
    with pytest.raises(derivation.DerivationFailed):
        derivation.derive_waiting(timezone.now())
    monkeypatch.setattr(triage, "after_create", after_create)
    assert derivation.derive_waiting(timezone.now()) == 1
    assert SlaClock.objects.filter(ticket=broken).exists()


@pytest.mark.django_db
def test_the_sweeper_is_due_from_the_oldest_waiting_ticket(personas):
    assert derivation.next_due() is None
    before = timezone.now() - timedelta(seconds=1)
    with BATCHED:
        ingest(_inbound(personas, 4)[2])
    due = derivation.next_due()
    assert due is not None and due >= before


@pytest.mark.django_db
def test_a_change_read_before_the_batch_committed_is_followed_in_full(personas):
    with BATCHED:
        stale = ingest(_inbound(personas, 5)[2]).ticket  # read while being triaged
    derivation.derive_waiting(timezone.now())
    assert stale.being_triaged
    replies = Delivery.objects.filter(ticket=stale, kind="reply")
    before = replies.count()
    actions.add_message(ticket=stale, actor=personas.viewer(personas.bob), body="We are on it.")
    assert replies.count() == before + 1  # mailed to the customer: every follower followed it


@pytest.mark.django_db
def test_when_the_worker_is_behind_new_tickets_are_triaged_by_their_callers(personas):
    late = _inbound(personas, 6)[2]
    late.received_at = timezone.now() - derivation.MAX_LAG - timedelta(seconds=1)
    with BATCHED:
        waiting = ingest(late).ticket
        derivation._behind["until"] = 0.0
        now = ingest(_inbound(personas, 6)[0]).ticket
    assert waiting.being_triaged and not now.being_triaged
    assert SlaClock.objects.filter(ticket=now).exists()
    assert not SlaClock.objects.filter(ticket=waiting).exists()


@pytest.mark.django_db
def test_a_sender_s_burst_counts_only_what_came_before_each_ticket(personas):
    texts = ["Order PO-1 arrived broken.", "Invoice 7 has the wrong VAT number.", "Login fails."]
    with BATCHED:
        tickets = [
            ingest(InboundMessage("email", f"b{i}@x", text, subject=text, mailbox="service",
                                  sender_address="anna@acme.test", sender_proof="mail:dkim")).ticket
            for i, text in enumerate(texts)
        ]  # fmt: skip
    derivation.derive_waiting(timezone.now())
    for ticket in tickets:
        ticket.refresh_from_db()
    assert [t.triage["burst"] for t in tickets] == [1, 2, 3]


@pytest.mark.django_db
def test_a_batch_writes_its_clocks_score_merges_and_contacts_once_for_all_its_tickets(personas):
    with BATCHED:
        for message in _inbound(personas, 7)[:4]:
            ingest(message)
    with CaptureQueriesContext(connection) as run:
        assert derivation.derive_waiting(timezone.now()) == 4
    statements = [query["sql"] for query in run.captured_queries]

    def count(*words: str) -> int:
        return sum(all(word in sql for word in words) for sql in statements)

    assert count('INSERT INTO "sla_slaclock"') == 1
    assert count('FROM "knowledge_selfservicevisit"') == 1  # read; nobody here read articles
    assert count('UPDATE "knowledge_selfservicevisit"') == 0
    if connection.vendor == "postgresql":  # SQLite merges each ticket's row in turn
        assert count("UPDATE", "tickets_ticket", "SET triage") == 1
    assert SlaClock.objects.filter(ticket__in=Ticket.objects.all()).count() >= 4
