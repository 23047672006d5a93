"""Replies by email find their ticket: ``Re: [KF…]`` / ``回复：【KF…】`` in the subject, or only
In-Reply-To / References naming our outbound mail (real webmail replies). The stored body is the
new part; the full original, quoted history included, is kept beside it.

The mail here is authenticated (DKIM-signed by the sender's domain): unauthenticated mail joins
nothing (test_forged_mail_opens_a_flagged_ticket)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kefu.delivery.models import Delivery
from kefu.delivery.tests.test_email_smtp import customer_mail
from kefu.intake.email.inbound import deliver
from kefu.intake.models import InboundRecord, Outcome
from kefu.testing import authenticated, publish_mail_domain
from kefu.tickets.models import Ticket

OWN = Path(__file__).resolve().parents[2] / "lib" / "tests" / "fixtures" / "emails"


def first_mail(sender: str = "anna@acme.test") -> tuple[Ticket, Delivery]:
    result = deliver(customer_mail(sender, "Order PO-1 late", "PO-1 has not arrived.",
                                   "first@acme.test"))  # fmt: skip
    ack = Delivery.objects.get(ticket=result.ticket, kind=Delivery.Kind.ACKNOWLEDGEMENT)
    return result.ticket, ack


@pytest.mark.parametrize("prefix", ["Re: [{n}]", "RE: FW: [{n}]", "回复：【{n}】", "答复: {n}"])
@pytest.mark.django_db
def test_the_ticket_number_in_the_subject_threads(personas, prefix):
    ticket, _ = first_mail()
    subject = prefix.format(n=ticket.number) + " Order PO-1 late"
    body = "Still nothing.\n\nOn Fri, Nov 7, 2025 at 10:00 AM Kefu <service@kefu.example.com> wrote:\n> Hi\n"
    result = deliver(customer_mail("anna@acme.test", subject, body, "reply@acme.test"))
    assert (result.outcome, result.ticket) == (Outcome.MESSAGE, ticket)
    assert result.message.body == "Still nothing."
    assert "wrote:" in result.message.body_full and "> Hi" in result.message.body_full
    assert Ticket.objects.count() == 1


WEBMAIL = {
    # fixture: (the id it answers, a line of the quoted history it carries)
    "webmail-qq-reply-gbk.eml": ("kf-out-KF20251107001-1@kefu.example", "原始邮件"),
    "webmail-163-reply.eml": ("kf-out-KF20251107002-1@kefu.example", "写道"),
    "webmail-gmail-zh-reply.eml": ("kf-out-KF20251107004-1@kefu.example", "写道"),
    "webmail-outlook-zh-reply.eml": ("kf-out-KF20251107003-1@kefu.example", "发件人"),
}


@pytest.mark.parametrize("fixture", sorted(WEBMAIL))
@pytest.mark.django_db
def test_chinese_webmail_replying_to_our_mail_threads_by_its_headers_alone(
    personas, fixture, mail_dns
):
    answered, quoted = WEBMAIL[fixture]
    ticket, ack = first_mail()
    # The reply answers our acknowledgement; its subject names a ticket number we never issued.
    raw = (OWN / fixture).read_bytes().replace(answered.encode(), ack.message_id.encode())
    result = deliver(authenticated(raw, mail_dns))
    assert (result.outcome, result.ticket) == (Outcome.MESSAGE, ticket)
    assert quoted not in result.message.body
    assert quoted in result.message.body_full
    assert result.message.body.strip() in result.message.body_full


@pytest.mark.django_db
def test_only_in_reply_to_threads_even_for_a_sender_without_an_account(personas, mail_dns):
    publish_mail_domain(mail_dns, "unknown.example")
    ticket, ack = first_mail("buyer@unknown.example")
    reply = customer_mail("buyer@unknown.example", "Thanks", "Got it.", "thanks@unknown.example",
                          In_Reply_To=f"<{ack.message_id}>")  # fmt: skip
    assert deliver(reply).ticket == ticket


@pytest.mark.django_db
def test_references_to_the_customers_own_earlier_mail_thread(personas):
    ticket, _ = first_mail()
    follow_up = customer_mail("anna@acme.test", "One more thing", "Also PO-2.", "more@acme.test",
                              References="<first@acme.test>")  # fmt: skip
    assert deliver(follow_up).ticket == ticket


@pytest.mark.django_db
def test_a_reply_delivered_twice_is_one_message(personas):
    ticket, _ = first_mail()
    reply = customer_mail("anna@acme.test", f"Re: [{ticket.number}]", "ok", "twice@acme.test")
    assert deliver(reply).outcome == Outcome.MESSAGE
    messages = ticket.messages.count()
    again = deliver(reply)
    assert (again.outcome, again.ticket) == (Outcome.DUPLICATE, ticket)
    assert ticket.messages.count() == messages
    assert InboundRecord.objects.filter(ticket=ticket).count() == 2


@pytest.mark.django_db
def test_the_outlook_original_message_block_is_stripped(personas, mail_dns):
    ticket, _ = first_mail()
    raw = (OWN / "webmail-outlook-en-original-message.eml").read_bytes()
    # The requester answers, naming the ticket only in the subject.
    raw = raw.replace(b"KF20251107010", ticket.number.encode())
    raw = raw.replace(b"Dave <dave@buyer.example>", b"Anna <anna@acme.test>")
    result = deliver(authenticated(raw, mail_dns))
    assert result.ticket == ticket
    assert "-----Original Message-----" not in result.message.body
    assert "-----Original Message-----" in result.message.body_full
