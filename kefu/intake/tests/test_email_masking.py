"""Card numbers, ID numbers, mobile numbers, passwords and verification codes sent by email are
masked before anything is stored: the rows themselves are read back and searched."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from django.db import models

from kefu.delivery.models import Delivery
from kefu.intake.email.inbound import deliver
from kefu.intake.models import InboundRecord, Outcome, Quarantine
from kefu.tickets.models import Message, Ticket, TicketEvent

OWN = Path(__file__).resolve().parents[2] / "lib" / "tests" / "fixtures" / "emails"
# In sensitive-data.eml: two Luhn-valid cards, a checksum-valid PRC ID, a mobile number,
# a password and two verification codes.
SECRETS = ("6222021234567894", "4111111111111111", "11010519491231002X", "13812345678",
           "Abc12345!", "482913", "771234")  # fmt: skip
STORED = (Ticket, Message, TicketEvent, InboundRecord, Quarantine, Delivery)


def stored_text() -> str:
    """Every text and JSON value of every row the intake writes, spaces and dashes removed."""
    values = []
    for model in STORED:
        names = [f.attname for f in model._meta.concrete_fields
                 if isinstance(f, models.CharField | models.TextField | models.JSONField)]  # fmt: skip
        for row in model.objects.values_list(*names):
            values.extend(str(value) for value in row)
    return "\n".join(values).replace(" ", "").replace("-", "")


@pytest.mark.django_db
def test_the_secrets_of_sensitive_data_eml_are_masked_in_every_row(personas):
    result = deliver((OWN / "sensitive-data.eml").read_bytes())
    assert result.outcome == Outcome.TICKET
    assert {"bank_card", "id_number", "mobile", "verification_code"} <= set(result.masked)
    message = Message.objects.get(pk=result.message.pk)
    assert "622202******7894" in message.body  # first 6 and last 4 of a card are kept
    for kept in ("PO-20251107-88", "AE-ERR-403", "KF20251107001", "12,345.67"):
        assert kept in message.body  # order numbers, error codes and amounts are not secrets
    text = stored_text()
    for secret in SECRETS:
        assert secret.replace("-", "") not in text, secret


@pytest.mark.django_db
def test_subject_html_part_and_quoted_history_are_masked_too(personas):
    mail = EmailMessage()
    mail["From"] = "anna@acme.test"
    mail["Subject"] = "Re: 验证码 482913 收不到，卡号 6222 0212 3456 7894"
    mail["Message-ID"] = "<masked-2@acme.test>"
    text = ("还是收不到。\n\n在 2025年11月7日 10:00，客服 <service@kefu.example.com> 写道：\n"
            "> 请提供身份证号 11010519491231002X 以便核实\n")  # fmt: skip
    mail.set_content(text)
    mail.add_alternative(f"<p>{text}</p><p>密码：Abc12345!</p>", subtype="html")
    result = deliver(mail.as_bytes())
    ticket = Ticket.objects.get(pk=result.ticket.pk)
    message = Message.objects.get(pk=result.message.pk)
    assert "482913" not in ticket.subject and "7894" in ticket.subject
    assert message.body == "还是收不到。"
    assert "写道" in message.body_full and "11010519491231002X" not in message.body_full
    assert "Abc12345" not in message.html
    text_everywhere = stored_text()
    for secret in ("482913", "6222021234567894", "11010519491231002X", "Abc12345!"):
        assert secret not in text_everywhere, secret


@pytest.mark.django_db
def test_a_quarantined_message_keeps_no_secret_in_its_row(personas):
    raw = ("Subject: 我的卡号 6222 0212 3456 7894 退款\r\nMessage-ID: <held-secret@x>\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\n验证码 482913\r\n").encode()  # fmt: skip
    assert deliver(raw).outcome == Outcome.QUARANTINED
    entry = Quarantine.objects.get()
    assert "6222021234567894" not in entry.subject.replace(" ", "")
    assert "622202" in entry.subject  # still recognisable for the admin
    assert entry.raw_path  # the message as received stays in storage, for re-processing
