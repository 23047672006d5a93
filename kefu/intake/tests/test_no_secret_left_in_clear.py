"""Through the real pipeline, none of the 50 shapes of ``masking_shapes`` survives in clear: not
in any database row, not in the files under MEDIA_ROOT (raw mail), not in the mail Kefu sends
(the queued rows and what the SMTP server receives). Mail arrives by the webhook, tickets by the
customer API, and an agent's reply goes out through the outbox."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from kefu.delivery import outbox
from kefu.delivery.models import Delivery
from kefu.delivery.tests.test_email_smtp import parts, smtp  # noqa: F401 (a fixture)
from kefu.intake.tests.test_email_webhook import integration_client, mail, post
from kefu.lib.tests.masking_shapes import SHAPES
from kefu.testing import api_client
from kefu.tickets import actions
from kefu.tickets.models import Message, Ticket

SUBJECT = "退款 卡号 ６２２２ ０２１２ ３４５６ ７８９４ 验证码 604218"
BODY = "\n".join(text for text, _, _ in SHAPES)
LONG = [secret for _, secret, _ in SHAPES if len(secret) >= 6]  # unmistakable anywhere


def folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").replace("-", "").upper()


def database_text() -> str:
    """Every text and JSON value of every row of every Kefu table."""
    values = []
    for model in apps.get_models():
        if not model.__module__.startswith("kefu."):
            continue
        names = [f.attname for f in model._meta.concrete_fields
                 if isinstance(f, models.CharField | models.TextField | models.JSONField)]  # fmt: skip
        if names:
            for row in model.objects.values_list(*names):
                values.extend(str(value) for value in row)
    return folded("\n".join(values))


def media_bytes(root: Path) -> bytes:
    return b"".join(path.read_bytes() for path in root.rglob("*") if path.is_file())


def assert_lines_masked(body: str) -> None:
    """Line by line, so that short secrets (a CVV, a 4-digit code) are checked too."""
    lines = body.splitlines()
    assert len(lines) == len(SHAPES)
    for line, (text, secret, _) in zip(lines, SHAPES, strict=True):
        assert folded(secret) not in folded(line), (text, line)


@pytest.mark.django_db
def test_mail_by_webhook_and_the_agents_reply_carry_no_secret(personas, settings, smtp):  # noqa: F811
    raw = mail(subject=SUBJECT, body=BODY, message_id="<shapes@acme.test>")
    response = post(integration_client(personas.ada), raw)
    assert response.status_code == 200 and response.json()["outcome"] == "ticket"
    ticket = Ticket.objects.get(number=response.json()["ticket"])
    assert "622202******7894" in ticket.subject and "604218" not in ticket.subject
    assert_lines_masked(Message.objects.get(ticket=ticket).body)
    lena = personas.viewer(personas.lena)
    actions.add_message(ticket=ticket, actor=lena, body="已收到，我们会尽快退款。")
    assert outbox.send_due(timezone.now()) == 2  # the acknowledgement and the reply
    assert {e.kind for e in Delivery.objects.all()} == {"ack", "reply"}

    stored, files = database_text(), media_bytes(Path(settings.MEDIA_ROOT))
    sent = [parts(smtp.parsed(i)) | {"subject": smtp.parsed(i)["Subject"]}
            for i in range(len(smtp.received))]  # fmt: skip
    sent_text = folded("\n".join(v for mail_parts in sent for v in mail_parts.values()))
    sent_bytes = b"".join(received for _, _, received in smtp.received)
    assert files  # the raw message is kept, encrypted
    for secret in LONG:
        assert folded(secret) not in stored, secret
        assert secret.encode() not in files and secret.encode() not in sent_bytes, secret
        assert folded(secret) not in sent_text, secret
    for text, _, _ in SHAPES:  # as typed (full-width, spaced) too
        assert text.encode() not in files


@pytest.mark.django_db
def test_tickets_created_by_api_keep_no_secret_in_any_field(personas, settings):
    payload = {"subject": SUBJECT, "body": BODY, "desired_outcome": "退款到 4111-1111-1111-1111",
               "tags": ["call-13800138000"]}  # fmt: skip
    response = api_client(personas.anna).post("/api/v1/tickets", payload,
                                              content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(number=response.json()["number"])
    assert_lines_masked(Message.objects.get(ticket=ticket).body)
    assert ticket.desired_outcome == "退款到 411111******1111"
    stored = database_text()
    for secret in [*LONG, "4111111111111111", "13800138000"]:
        assert folded(secret) not in stored, secret
        assert secret.encode() not in media_bytes(Path(settings.MEDIA_ROOT))
