"""``kefu smtpd``: a real SMTP conversation with the built-in listener on 127.0.0.1."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import smtplib
import socket
import threading
import time
from email.message import EmailMessage

import pytest
from django.core.management import call_command

from kefu.delivery.models import Delivery
from kefu.intake.email import smtpd
from kefu.intake.models import InboundRecord, Mailbox, Quarantine
from kefu.testing import sample_file
from kefu.tickets.models import Ticket

TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def listener(personas):
    Mailbox.objects.create(code="service", address="service@kefu.example.com")
    Mailbox.objects.create(code="complaint", address="Complaint@kefu.example.com")
    port = free_port()
    controller = smtpd.start_listener("127.0.0.1", port)
    yield port
    controller.stop()


def chinese_mail(message_id: str = "<smtp-1@acme.test>") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "安娜 <anna@acme.test>"
    message["To"] = "service@kefu.example.com"
    message["Subject"] = "【物流】- Acme - 集装箱延误"
    message["Message-ID"] = message_id
    message.set_content("集装箱 CN-778 在上海港滞留三天了，请帮忙查询。", charset="gb18030")
    return message


def send(port: int, message: EmailMessage, to: list[str] | None = None) -> dict:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        return client.send_message(message, to_addrs=to)


@TRANSACTIONAL
def test_a_message_is_committed_before_the_client_hears_250(listener):
    refused = send(listener, chinese_mail())
    assert refused == {}
    # The listener answered only after commit: this (other) connection sees the ticket now.
    ticket = Ticket.objects.get()
    assert ticket.subject == "【物流】- Acme - 集装箱延误"
    assert ticket.channel == "email" and ticket.mailbox == "service"
    assert (
        InboundRecord.objects.get().message.body == "集装箱 CN-778 在上海港滞留三天了，请帮忙查询。"
    )
    assert ticket.requester.email == "anna@acme.test"
    assert InboundRecord.objects.get().external_id == "smtp-1@acme.test"
    assert Delivery.objects.filter(kind=Delivery.Kind.ACKNOWLEDGEMENT).exists()


@TRANSACTIONAL
def test_unknown_recipients_are_refused_with_550_and_known_ones_accepted(listener):
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        send(listener, chinese_mail(), to=["sales@kefu.example.com"])
    assert refused.value.recipients["sales@kefu.example.com"][0] == 550
    assert not InboundRecord.objects.exists()
    # The recipient check ignores case; the first of our mailboxes decides the purpose.
    partly = send(listener, chinese_mail(), to=["nobody@else.test", "COMPLAINT@kefu.example.com"])
    assert partly["nobody@else.test"][0] == 550
    assert Ticket.objects.get().mailbox == "complaint"


@TRANSACTIONAL
def test_the_same_message_twice_over_smtp_is_one_ticket(listener):
    send(listener, chinese_mail())
    send(listener, chinese_mail())
    assert Ticket.objects.count() == 1
    assert InboundRecord.objects.count() == 1


@TRANSACTIONAL
def test_a_message_over_the_size_limit_is_refused_with_552(listener, monkeypatch):
    monkeypatch.setattr(smtpd, "MAX_EMAIL_BYTES", 1024 * 1024)
    port = free_port()
    controller = smtpd.start_listener("127.0.0.1", port)
    message = chinese_mail()
    message.add_attachment(b"x" * (2 * 1024 * 1024), "application", "octet-stream",
                           filename="big.bin")  # fmt: skip
    try:
        with pytest.raises((smtplib.SMTPSenderRefused, smtplib.SMTPDataError)) as error:
            send(port, message)
    finally:
        controller.stop()
    assert error.value.smtp_code == 552
    assert not InboundRecord.objects.exists() and not Quarantine.objects.exists()


@TRANSACTIONAL
def test_a_twelve_megabyte_attachment_is_refused_but_the_message_lands(listener):
    message = chinese_mail("<big-attachment@acme.test>")
    message.add_attachment(sample_file("pdf", size=12 * 1024 * 1024), "application", "pdf",
                           filename="报关单.pdf")  # fmt: skip
    send(listener, message)
    ticket = Ticket.objects.get()
    assert not ticket.attachments.exists()
    acknowledgement = Delivery.objects.get(kind=Delivery.Kind.ACKNOWLEDGEMENT)
    assert "报关单.pdf" in acknowledgement.text


@TRANSACTIONAL
def test_when_nothing_can_be_stored_the_client_is_told_to_try_again(listener, monkeypatch):
    def database_down(raw, mailbox="service", **kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr(smtpd, "deliver", database_down)
    logging.getLogger("kefu.smtpd").disabled = True
    try:
        with pytest.raises(smtplib.SMTPDataError) as error:
            send(listener, chinese_mail())
    finally:
        logging.getLogger("kefu.smtpd").disabled = False
    assert error.value.smtp_code == 451  # the sending server keeps it and retries later


@TRANSACTIONAL
def test_mail_without_a_sender_is_accepted_into_quarantine(listener):
    raw = b"To: service@kefu.example.com\r\nSubject: anonymous\r\nMessage-ID: <anon@x>\r\n\r\nhello\r\n"
    with smtplib.SMTP("127.0.0.1", listener, timeout=30) as client:
        client.sendmail("", ["service@kefu.example.com"], raw)
    entry = Quarantine.objects.get()
    assert (entry.stage, entry.subject, entry.mailbox) == ("identity", "anonymous", "service")


@TRANSACTIONAL
def test_kefu_smtpd_serves_until_it_is_told_to_stop(personas, capsys):
    Mailbox.objects.create(code="merchant", address="merchant@kefu.example.com")
    port = free_port()
    outcome: list = []

    def client() -> None:
        try:
            for _ in range(100):
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)):
                    break
                time.sleep(0.05)
            message = chinese_mail()
            outcome.append(send(port, message, to=["merchant@kefu.example.com"]))
        finally:
            os.kill(os.getpid(), signal.SIGTERM)  # what a service manager sends

    thread = threading.Thread(target=client)
    thread.start()
    call_command("smtpd", "--host", "127.0.0.1", "--port", str(port))
    thread.join()
    assert outcome == [{}]
    assert Ticket.objects.get().mailbox == "merchant"
    assert f"127.0.0.1:{port} for merchant@kefu.example.com" in capsys.readouterr().out


@TRANSACTIONAL
def test_mail_from_one_new_sender_arriving_at_once_all_lands(listener):
    """Several listener threads meet a sender they have never seen at the same moment."""
    senders = [f"new-{n}@first-contact.example" for n in range(4)]
    start = threading.Barrier(8)

    def client(sender: str, copy: int) -> None:
        message = chinese_mail(f"<race-{sender}-{copy}@x>")
        message.replace_header("From", sender)
        message.replace_header("Subject", f"第 {copy} 封：货物延迟")
        start.wait()
        send(listener, message)

    threads = [threading.Thread(target=client, args=(s, c)) for s in senders for c in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not Quarantine.objects.exists()
    assert InboundRecord.objects.filter(outcome__in=["ticket", "message"]).count() == 8
