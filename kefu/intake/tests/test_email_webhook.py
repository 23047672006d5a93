"""POST /api/v1/inbound/email: raw mail from providers' webhooks into the pipeline."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from django.test import Client

from kefu.accounts.actions import create_api_token
from kefu.accounts.models import ApiToken
from kefu.intake.models import InboundRecord, Quarantine
from kefu.testing import api_client, sample_file
from kefu.tickets.models import Ticket

URL = "/api/v1/inbound/email"


def mail(
    subject: str = "【物流】- Acme - 货物延迟", body: str = "订单 PO-1 还没到。", **extra: str
) -> bytes:
    message = EmailMessage()
    message["From"] = extra.pop("sender", "Anna <anna@acme.test>")
    message["To"] = "service@kefu.example.com"
    message["Subject"] = subject
    message["Message-ID"] = extra.pop("message_id", "<hook-1@acme.test>")
    for name, value in extra.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


def integration_client(user) -> Client:
    token = create_api_token(user=user, name="provider", purpose=ApiToken.Purpose.INTEGRATION)
    return Client(headers={"Authorization": f"Bearer {token}"})


def post(client: Client, raw: bytes, mailbox: str = "service"):
    return client.post(f"{URL}?mailbox={mailbox}", raw, content_type="message/rfc822")


@pytest.mark.django_db
def test_an_admin_token_delivers_a_message_that_becomes_a_ticket(personas):
    response = post(api_client(personas.ada), mail())
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["outcome"] == "ticket" and body["reason"] == ""
    ticket = Ticket.objects.get(number=body["ticket"])
    assert ticket.subject == "【物流】- Acme - 货物延迟"
    assert ticket.channel == "email" and ticket.mailbox == "service"
    assert ticket.requester == personas.anna
    assert InboundRecord.objects.get().message.body == "订单 PO-1 还没到。"


@pytest.mark.django_db
def test_an_integration_token_of_any_user_may_deliver(personas):
    response = post(integration_client(personas.alice), mail(), mailbox="merchant")
    assert response.json()["outcome"] == "ticket"
    assert Ticket.objects.get().mailbox == "merchant"


@pytest.mark.django_db
def test_any_content_type_is_taken_as_raw_mail(personas):
    client = api_client(personas.ada)
    response = client.post(f"{URL}?mailbox=service", mail(), content_type="text/plain")
    assert response.json()["outcome"] == "ticket"


@pytest.mark.parametrize("who", ["anna", "alice", "lena"])
@pytest.mark.django_db
def test_customer_and_plain_agent_tokens_are_forbidden(personas, who):
    response = post(api_client(getattr(personas, who)), mail())
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not InboundRecord.objects.exists() and not Quarantine.objects.exists()


@pytest.mark.django_db
def test_no_token_or_a_revoked_one_is_unauthenticated(personas):
    assert post(Client(), mail()).status_code == 401
    client = integration_client(personas.alice)
    ApiToken.objects.update(revoked_at="2025-01-01T00:00:00Z")
    assert post(client, mail()).status_code == 401


@pytest.mark.django_db
def test_a_browser_session_is_not_enough(personas):
    client = Client()
    client.force_login(personas.ada)
    assert post(client, mail()).status_code == 401


@pytest.mark.parametrize("query", ["?mailbox=sales", ""])
@pytest.mark.django_db
def test_an_unknown_or_missing_mailbox_is_a_422_naming_it(personas, query):
    response = api_client(personas.ada).post(URL + query, mail(), content_type="message/rfc822")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-1] == "mailbox"
    assert not InboundRecord.objects.exists()


@pytest.mark.django_db
def test_an_empty_body_is_a_422_naming_the_body(personas):
    response = post(api_client(personas.ada), b"  \r\n")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "body"


@pytest.mark.django_db
def test_a_message_over_the_limit_is_refused_with_413(personas, settings):
    from kefu.intake.email import inbound

    raw = mail(body="x" * 100) + b"y" * (inbound.MAX_EMAIL_BYTES + 1)
    response = post(api_client(personas.ada), raw)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert "30 MB" in response.json()["detail"][0]["msg"]


@pytest.mark.django_db
def test_a_message_over_djangos_form_limit_but_under_ours_lands(personas, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    message = EmailMessage()
    message["From"] = "anna@acme.test"
    message["Subject"] = "big scan"
    message["Message-ID"] = "<big@acme.test>"
    message.set_content("scan attached")
    pdf = sample_file("pdf", size=3 * 1024 * 1024)
    message.add_attachment(pdf, "application", "pdf", filename="scan.pdf")
    response = post(api_client(personas.ada), message.as_bytes())
    assert response.json()["outcome"] == "ticket", response.content
    assert Ticket.objects.get().attachments.get().filename == "scan.pdf"


@pytest.mark.django_db
def test_the_same_message_twice_is_one_ticket(personas):
    client = api_client(personas.ada)
    first = post(client, mail()).json()
    second = post(client, mail()).json()
    assert second == {
        "outcome": "duplicate",
        "ticket": first["ticket"],
        "reason": "already received",
    }
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
def test_machine_mail_and_mail_without_a_sender_answer_what_became_of_them(personas):
    client = api_client(personas.ada)
    auto = post(client, mail("Automatic reply: away", "I am out.", Auto_Submitted="auto-replied"))
    assert auto.json()["outcome"] == "auto_reply" and auto.json()["ticket"] is None
    nameless = b"Subject: who am I\r\nMessage-ID: <anon@x>\r\n\r\nno sender at all\r\n"
    held = post(client, nameless).json()
    assert held["outcome"] == "quarantined" and held["ticket"] is None
    assert held["reason"].startswith("identity: no usable sender address")
    assert Quarantine.objects.get().subject == "who am I"


@pytest.mark.django_db
def test_the_complaint_mailbox_marks_complaints(personas):
    body = post(api_client(personas.ada), mail("客服态度差", "我要投诉。"), "complaint").json()
    ticket = Ticket.objects.get(number=body["ticket"])
    assert ticket.is_complaint and ticket.mailbox == "complaint"
