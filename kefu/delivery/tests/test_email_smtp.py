"""Outbound mail over a real SMTP conversation: what the outbox sweeper sends, and how the
customer's answer to it threads back into the same ticket."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from kefu.delivery import outbox
from kefu.delivery.models import Delivery
from kefu.intake.email.inbound import deliver
from kefu.intake.models import Outcome
from kefu.intake.tests.test_email_smtpd import free_port
from kefu.testing import dkim_signed
from kefu.tickets import actions
from kefu.tickets.models import EventKind, Ticket


class CapturingHandler:
    """An SMTP server that keeps what it is sent, or answers with ``reply`` instead."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []
        self.reply = ""

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.reply:
            return self.reply
        self.received.append((envelope.mail_from, envelope.rcpt_tos, envelope.original_content))
        return "250 2.0.0 OK"

    def parsed(self, index: int = -1) -> EmailMessage:
        return message_from_bytes(self.received[index][2], policy=policy.default)

    def of(self, email: Delivery) -> EmailMessage:
        """What the server received for this outbound row."""
        mails = [self.parsed(i) for i in range(len(self.received))]
        [mail] = [m for m in mails if m["Message-ID"] == f"<{email.message_id}>"]
        return mail


def acknowledgement(ticket: Ticket) -> Delivery:
    return Delivery.objects.get(ticket=ticket, kind=Delivery.Kind.ACKNOWLEDGEMENT)


@pytest.fixture
def smtp(settings):
    handler = CapturingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 10
    settings.EMAIL_USE_TLS = False
    yield handler
    controller.stop()


def customer_mail(sender: str, subject: str, body: str, message_id: str, *, signed: bool = True,
                  **headers: str) -> bytes:  # fmt: skip
    """A customer's mail, DKIM-signed by their domain unless ``signed`` is False (the suite's
    DNS publishes the personas' keys; other domains: ``kefu.testing.authenticated``)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "service@kefu.example.com"
    message["Subject"] = subject
    message["Message-ID"] = f"<{message_id}>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    raw = message.as_bytes()
    return dkim_signed(raw, parseaddr(sender)[1].rpartition("@")[2]) if signed else raw


def parts(mail: EmailMessage) -> dict[str, str]:
    return {part.get_content_type(): part.get_content() for part in mail.walk()
            if not part.is_multipart()}  # fmt: skip


@pytest.mark.django_db
def test_acknowledgement_in_chinese_with_threading_headers_and_both_parts(personas, smtp):
    raw = customer_mail("奥托 <otto@orbit.test>", "【物流】- Orbit - 货物在海关被扣",
                        "你好，我们的货物在上海海关被扣三天了，订单 PO-778，请尽快处理。",
                        "first@orbit.test")  # fmt: skip
    ticket = deliver(raw).ticket
    assert ticket.language.startswith("zh")
    assert outbox.send_due(timezone.now()) == Delivery.objects.count()
    ack = acknowledgement(ticket)
    mail = smtp.of(ack)
    [(sender, recipients)] = {(s, tuple(r)) for s, r, raw in smtp.received}
    assert (sender, recipients) == ("service@kefu.example.com", ("otto@orbit.test",))
    # Django folds the encoded subject onto its own line; the stdlib keeps one leading space.
    assert mail["Subject"].strip() == f"[{ticket.number}] 【物流】- Orbit - 货物在海关被扣"
    assert mail["Message-ID"] == f"<{ack.message_id}>"
    assert mail["In-Reply-To"] == "<first@orbit.test>"
    assert mail["References"] == "<first@orbit.test>"
    assert mail["Auto-Submitted"] == "auto-replied" and mail["X-Kefu-Ticket"] == ticket.number
    assert mail.get_content_type() == "multipart/alternative"
    bodies = parts(mail)
    assert ticket.number in bodies["text/plain"] and ticket.number in bodies["text/html"]
    assert "客服中心" in bodies["text/plain"] and "客服中心" in bodies["text/html"]
    ack.refresh_from_db()
    assert ack.state == Delivery.State.SENT and ack.sent_at is not None


@pytest.mark.django_db
def test_an_english_customer_is_answered_in_english(personas, smtp):
    deliver(customer_mail("anna@acme.test", "Invoice copy", "Please send the invoice for PO-9.",
                          "en@acme.test"))  # fmt: skip
    outbox.send_due(timezone.now())
    text = parts(smtp.of(acknowledgement(Ticket.objects.get())))["text/plain"]
    assert "Kefu support centre" in text and "客服中心" not in text


@pytest.mark.django_db
def test_agent_reply_threads_and_the_customers_answer_comes_back(personas, smtp):
    ticket = deliver(customer_mail("奥托 <otto@orbit.test>", "货物延迟", "货还没到，订单 PO-5。",
                                   "start@orbit.test")).ticket  # fmt: skip
    lena = personas.viewer(personas.lena)
    actions.add_message(ticket=ticket, actor=lena, body="您好，货物已于今天发出，运单号 SF123。")
    outbox.send_due(timezone.now())
    ack = smtp.of(acknowledgement(ticket))
    reply = smtp.of(Delivery.objects.get(ticket=ticket, kind=Delivery.Kind.REPLY))
    assert reply["In-Reply-To"] == ack["Message-ID"]
    assert reply["References"].split()[:2] == ["<start@orbit.test>", ack["Message-ID"]]
    assert reply["Auto-Submitted"] is None  # a person wrote it
    assert "货物已于今天发出" in parts(reply)["text/plain"]
    assert "货物已于今天发出" in parts(reply)["text/html"]
    assert "L0001" in parts(reply)["text/plain"]  # agents are shown by id, not by name
    # The customer answers with no ticket number in the subject: In-Reply-To alone threads it.
    answer = customer_mail(
        "otto@orbit.test",
        "好的，谢谢",
        "收到了，谢谢！\n\n在 2025年11月7日 10:00，客服 <service@kefu.example.com> 写道：\n"
        "> 您好，货物已于今天发出，运单号 SF123。\n",
        "answer@orbit.test",
        In_Reply_To=reply["Message-ID"],
    )
    result = deliver(answer)
    assert (result.outcome, result.ticket) == (Outcome.MESSAGE, ticket)
    assert result.message.body == "收到了，谢谢！"
    assert "写道" in result.message.body_full and "SF123" in result.message.body_full


@pytest.mark.django_db
def test_our_own_mail_coming_back_is_ignored(personas, smtp):
    ticket = deliver(customer_mail("anna@acme.test", "Late order", "PO-1 is late.",
                                   "loop@acme.test")).ticket  # fmt: skip
    outbox.send_due(timezone.now())
    sent = Delivery.objects.count()
    looped = smtp.of(acknowledgement(ticket)).as_bytes()
    # Some relays strip our marker header; the Message-ID alone gives it away.
    stripped = b"\n".join(
        line for line in looped.split(b"\n") if not line.startswith(b"X-Kefu-Origin")
    )
    assert b"X-Kefu-Origin" not in stripped
    assert deliver(stripped).outcome == Outcome.IGNORED
    marked = customer_mail("anna@acme.test", "Re: Late order", "again", "other-id@kefu.example.com",
                           X_Kefu_Origin="kefu.example.com")  # fmt: skip
    assert deliver(marked).outcome == Outcome.IGNORED
    assert Ticket.objects.count() == 1
    assert not ticket.messages.filter(body__contains="We have received").exists()
    assert Delivery.objects.count() == sent  # nothing answered our own mail


@pytest.mark.django_db
def test_a_failed_send_is_retried_with_backoff_and_visible_on_the_ticket(personas, smtp):
    ticket = deliver(customer_mail("anna@acme.test", "Late order", "PO-1 is late.",
                                   "retry@acme.test")).ticket  # fmt: skip
    smtp.reply = "451 4.3.0 Mailbox temporarily unavailable"
    now = timezone.now()
    assert outbox.send_due(now) == 0
    mail = acknowledgement(ticket)
    assert mail.state == Delivery.State.FAILED and mail.attempts == 1
    assert "451" in mail.last_error
    assert timedelta(seconds=50) < mail.next_attempt_at - now < timedelta(seconds=70)
    failures = ticket.events.filter(kind=EventKind.DELIVERY_FAILED)
    assert failures.exists()
    assert all(e.data["attempt"] == 1 and "451" in e.data["error"] for e in failures)
    assert outbox.send_due(now + timedelta(seconds=30)) == 0  # not due yet
    assert smtp.received == []
    smtp.reply = ""
    assert outbox.send_due(now + timedelta(minutes=2)) >= 1
    mail.refresh_from_db()
    assert mail.state == Delivery.State.SENT and mail.attempts == 2
    assert smtp.of(mail)["Subject"]


@pytest.mark.django_db
def test_an_unreachable_server_fails_the_same_way(personas, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    ticket = deliver(
        customer_mail("anna@acme.test", "Late", "PO-1 is late.", "down@acme.test")
    ).ticket
    assert outbox.send_due(timezone.now()) == 0
    mail = acknowledgement(ticket)
    assert mail.state == Delivery.State.FAILED
    assert "ConnectionRefusedError" in mail.last_error
