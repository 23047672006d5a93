"""Loops and noise by email: auto-replies and bounces are noted on their ticket and never
answered, mail relayed by lists is not acknowledged, and a storm from one sender is stopped
without losing a message."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from kefu.accounts.models import User
from kefu.delivery.models import Delivery
from kefu.delivery.tests.test_email_smtp import customer_mail
from kefu.intake.email.inbound import deliver
from kefu.intake.models import InboundRecord, Outcome, Quarantine
from kefu.intake.quarantine import reprocess
from kefu.tickets.models import Message, Status, Ticket

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "emails"
OWN = Path(__file__).resolve().parents[2] / "lib" / "tests" / "fixtures" / "emails"


def opened() -> tuple[Ticket, Delivery]:
    result = deliver(customer_mail("anna@acme.test", "Order PO-1 late", "PO-1 has not arrived.",
                                   "noise-first@acme.test"))  # fmt: skip
    ack = Delivery.objects.get(ticket=result.ticket, kind=Delivery.Kind.ACKNOWLEDGEMENT)
    return result.ticket, ack


@pytest.mark.django_db
def test_an_out_of_office_reply_is_noted_on_the_ticket_and_not_answered(personas):
    ticket, ack = opened()
    raw = (OWN / "autoreply-outlook-oof.eml").read_bytes()
    raw = raw.replace(b"KF20251107006", ticket.number.encode())
    raw = b"In-Reply-To: <" + ack.message_id.encode() + b">\r\n" + raw
    sent = Delivery.objects.count()
    result = deliver(raw)
    assert (result.outcome, result.ticket) == (Outcome.AUTO_REPLY, ticket)
    note = Message.objects.get(pk=result.message.pk)
    assert note.is_internal and note.author_role == Message.AuthorRole.SYSTEM
    assert note.body.startswith("[auto_reply]")
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW  # an auto-reply is not the customer answering
    assert Delivery.objects.count() == sent  # machine mail is never answered


@pytest.mark.django_db
def test_a_bounce_of_our_mail_is_noted_on_its_ticket(personas):
    path = SHARED / "bounce-rfc3464-01.eml"
    if not path.is_file():
        pytest.skip(f"shared email corpus not found at {SHARED}")
    ticket, ack = opened()
    # The DSN returns our acknowledgement: its Message-ID is the one we sent.
    raw = path.read_bytes().replace(
        b"E1C50F1B-1C83-4820-BC36-AC6FBFBE8568@example.org", ack.message_id.encode()
    )
    sent = Delivery.objects.count()
    result = deliver(raw)
    assert (result.outcome, result.ticket) == (Outcome.AUTO_REPLY, ticket)
    assert "Action failed" in result.reason or "delivery status" in result.reason
    note = Message.objects.get(pk=result.message.pk)
    assert note.is_internal and note.body.startswith("[bounce]")
    assert Delivery.objects.count() == sent


@pytest.mark.django_db
def test_machine_mail_from_a_stranger_makes_no_contact(personas):
    raw = (OWN / "autoreply-outlook-oof.eml").read_bytes()
    users = User.objects.count()
    result = deliver(raw)
    assert (result.outcome, result.ticket) == (Outcome.AUTO_REPLY, None)
    assert User.objects.count() == users  # a mailer daemon is no one to know
    assert InboundRecord.objects.get(outcome=Outcome.AUTO_REPLY).sender


@pytest.mark.django_db
def test_mail_relayed_by_a_list_opens_a_ticket_without_an_acknowledgement(personas):
    result = deliver((OWN / "list-group-alias.eml").read_bytes())
    assert result.outcome == Outcome.TICKET
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_a_mail_storm_is_stopped_and_every_message_is_kept(personas):
    outcomes = [
        deliver(customer_mail("storm@spam.example", f"Buy now {i}", f"offer {i}", f"s{i}@spam"))
        for i in range(40)
    ]
    kept = [r for r in outcomes if r.outcome != Outcome.QUARANTINED]
    held = Quarantine.objects.filter(stage="noise")
    assert len(kept) == 30 and held.count() == 10  # the limit is 30 in ten minutes
    assert all("mail storm" in entry.reason for entry in held)
    assert InboundRecord.objects.count() + held.count() == 40
    # Once the storm is over, an admin can re-process what was held.
    InboundRecord.objects.update(received_at=InboundRecord.objects.first().received_at
                                 - timedelta(hours=1))  # fmt: skip
    assert reprocess(held.first()).outcome == Outcome.TICKET
