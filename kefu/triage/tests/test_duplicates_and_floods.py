"""Must-show 4: ten copies of the same message within a minute leave one ticket, flagged —
through the API and through email ``deliver`` with different Message-IDs. A burst of messages
from one sender lowers the ticket's score and is noted."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kefu.accounts.models import User
from kefu.delivery.tests.test_email_smtp import customer_mail
from kefu.intake.base import InboundMessage
from kefu.intake.email.inbound import deliver
from kefu.intake.ingest import ingest
from kefu.intake.models import InboundRecord, Outcome
from kefu.testing import api_client
from kefu.tickets.models import Ticket
from kefu.triage.noise import MAX_CANDIDATES
from kefu.triage.score import BURST_COUNTED, FLOOD_THRESHOLD

BODY = "Order PO-88123 was placed last week and still shows unpaid, can you check?"


@pytest.mark.django_db
def test_ten_api_copies_make_one_flagged_ticket(staffed):
    anna = api_client(staffed.anna)
    statuses = []
    for i in range(10):
        text = BODY if i % 2 else BODY.upper() + " "  # case and spacing do not matter
        response = anna.post("/api/v1/tickets", {"subject": "Order PO-88123", "body": text},
                             content_type="application/json")  # fmt: skip
        statuses.append(response.status_code)
    assert statuses == [201] + [200] * 9
    ticket = Ticket.objects.get()
    assert ticket.messages.count() == 10 and "duplicate" in ticket.tags
    assert ticket.events.filter(kind="duplicate").count() == 9
    assert ticket.triage["duplicates"] == 9
    terms = {t["code"]: t["points"] for t in ticket.triage["score_terms"]}
    assert terms["duplicates"] < 0


@pytest.mark.django_db
def test_ten_emails_with_different_message_ids_make_one_flagged_ticket(staffed):
    results = [
        deliver(
            customer_mail("anna@acme.test", "Order PO-88123 unpaid?", BODY, f"copy{i}@acme.test")
        )
        for i in range(10)
    ]
    assert [r.outcome for r in results] == [Outcome.TICKET] + [Outcome.MESSAGE] * 9
    ticket = Ticket.objects.get()
    assert ticket.messages.filter(is_internal=False).count() >= 10 and "duplicate" in ticket.tags
    assert ticket.events.filter(kind="duplicate").count() == 9
    # Ten messages within minutes are a flood as well: noted once, and the score drops.
    assert "flood" in ticket.tags and ticket.events.filter(kind="flood").count() == 1
    codes = {t["code"] for t in ticket.triage["score_terms"]}
    assert {"duplicates", "flood"} <= codes


@pytest.mark.django_db
def test_a_different_message_or_an_old_one_is_not_a_duplicate(staffed):
    first = ingest(InboundMessage(channel="email", external_id="a@x", subject="Order PO-88123",
                                  text=BODY, sender_address="anna@acme.test"))  # fmt: skip
    other = ingest(InboundMessage(channel="email", external_id="b@x", subject="Invoice",
                                  text="Please send the VAT invoice for order PO-88123.",
                                  sender_address="anna@acme.test"))  # fmt: skip
    later = ingest(InboundMessage(channel="email", external_id="c@x", subject="Order PO-88123",
                                  text=BODY, sender_address="anna@acme.test",
                                  received_at=timezone.now() + timedelta(minutes=11)))  # fmt: skip
    assert len({first.ticket.pk, other.ticket.pk, later.ticket.pk}) == 3
    assert "duplicate" not in first.ticket.tags


@pytest.mark.django_db
def test_someone_elses_identical_message_is_not_a_duplicate(staffed):
    anna = ingest(InboundMessage(channel="email", external_id="a@x", subject="Order PO-88123",
                                 text=BODY, sender_address="anna@acme.test"))  # fmt: skip
    sam = ingest(InboundMessage(channel="email", external_id="s@x", subject="Order PO-88123",
                                text=BODY, sender_address="sam@acme.test"))  # fmt: skip
    assert anna.ticket != sam.ticket


@pytest.mark.django_db
def test_a_busy_sender_s_repeat_is_found_among_their_latest_messages_only(staffed):
    """The check reads the sender's newest messages (``noise.MAX_CANDIDATES``) whatever their
    volume: a repeat of a recent one joins its ticket, one of an older one opens a new ticket."""
    words = "invoice refund shipment customs warehouse payment contract label pallet courier"

    def send(i: int, message_id: str) -> Ticket:
        chosen = random.Random(i).sample(words.split(), 4 + i % 5)
        body = f"Case {i}: {' '.join(chosen)} {i * 7919}"
        result = deliver(customer_mail("anna@acme.test", f"Question {i}", body, message_id))
        assert result.ticket is not None
        return result.ticket

    opened = [send(i, f"{i}@acme.test") for i in range(MAX_CANDIDATES + 5)]
    assert len({t.pk for t in opened}) == MAX_CANDIDATES + 5
    assert send(MAX_CANDIDATES + 4, "again-latest@acme.test") == opened[-1]
    assert send(0, "again-oldest@acme.test") not in opened


@pytest.mark.django_db
def test_a_flood_is_counted_up_to_a_hundred_and_shown_as_more(staffed):
    """A burst is counted up to ``BURST_COUNTED`` intake records: every message of a flood would
    otherwise count all of its window again."""
    _earlier_intake(staffed.anna.email, BURST_COUNTED + 30)
    ticket = _post(staffed.anna)
    assert ticket.triage["burst"] == BURST_COUNTED
    flood = next(t for t in ticket.triage["score_terms"] if t["code"] == "flood")
    assert "100+" in flood["en"] and "100+" in flood["zh"]


@pytest.mark.django_db
def test_a_flooding_sender_s_new_ticket_is_written_with_its_flood(staffed):
    """The flood's tag, event and burst come with the ticket's opening: no second write of its
    row, no tag event."""
    _earlier_intake(staffed.anna.email, FLOOD_THRESHOLD)
    with CaptureQueriesContext(connection) as queries:
        ticket = _post(staffed.anna)
    assert "flood" in ticket.tags and ticket.triage["burst"] == FLOOD_THRESHOLD + 1
    assert list(
        ticket.events.filter(kind__in=["flood", "tags"]).values_list("kind", flat=True)
    ) == ["flood"]
    assert not [q for q in queries if q["sql"].startswith('UPDATE "tickets_ticket" SET "tags"')]
    assert "flood" in {t["code"] for t in ticket.triage["score_terms"]}


def _earlier_intake(sender: str, count: int) -> None:
    """``count`` API messages from ``sender`` within the last minutes."""
    now = timezone.now()
    InboundRecord.objects.bulk_create(
        InboundRecord(
            channel="api",
            external_id=f"flood{i}",
            sender=sender,
            outcome=Outcome.TICKET,
            received_at=now - timedelta(seconds=i),
        )
        for i in range(1, count + 1)
    )


def _post(user: User) -> Ticket:
    response = api_client(user).post(
        "/api/v1/tickets", {"subject": "Order PO-88123", "body": BODY},
        content_type="application/json",
    )  # fmt: skip
    return Ticket.objects.get(number=response.json()["number"])
