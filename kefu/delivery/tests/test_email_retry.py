"""Mail that cannot be delivered: given up after the last backoff step, shown on the ticket, and
sent again when an admin asks (desk button or API)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kefu.delivery import outbox
from kefu.delivery.models import Delivery
from kefu.delivery.tests.test_email_smtp import (  # noqa: F401 (smtp is a fixture)
    acknowledgement,
    customer_mail,
    smtp,
)
from kefu.intake.email.inbound import deliver
from kefu.testing import api_client, session_client
from kefu.tickets.models import EventKind


def given_up(smtp) -> Delivery:  # noqa: F811
    ticket = deliver(customer_mail("anna@acme.test", "Late order", "PO-1 is late.",
                                   "dead@acme.test")).ticket  # fmt: skip
    smtp.reply = "550 5.1.1 <anna@acme.test>: Recipient address rejected"
    now = timezone.now()
    for _ in range(outbox.tries(Delivery.Channel.EMAIL)):
        now += timedelta(days=1)  # past every backoff step
        outbox.send_due(now)
    mail = acknowledgement(ticket)
    assert mail.state == Delivery.State.DEAD and mail.next_attempt_at is None
    return mail


@pytest.mark.django_db
def test_after_the_last_attempt_the_mail_is_dead_and_every_failure_is_on_the_ticket(
    personas,
    smtp,  # noqa: F811
):
    mail = given_up(smtp)
    assert mail.attempts == outbox.tries(Delivery.Channel.EMAIL)
    events = mail.ticket.events.filter(kind=EventKind.DELIVERY_FAILED)
    assert sorted({e.data["attempt"] for e in events}) == list(
        range(1, outbox.tries(Delivery.Channel.EMAIL) + 1)
    )
    assert any(e.data["dead"] for e in events)
    assert outbox.send_due(timezone.now() + timedelta(days=30)) == 0  # never again by itself


@pytest.mark.django_db
def test_the_desk_shows_failed_mail_and_only_admins_get_the_retry_button(
    personas,
    smtp,  # noqa: F811
):
    mail = given_up(smtp)
    url = f"/desk/t/{mail.ticket.number}/"
    as_admin = session_client(personas.ada).get(url).content.decode()
    assert f'id="delivery-{mail.pk}"' in as_admin and "Gave up" in as_admin
    assert "Recipient address rejected" in as_admin
    assert f"/api/v1/deliveries/{mail.pk}/retry" in as_admin
    as_qa = session_client(personas.quinn).get(url).content.decode()
    assert "Recipient address rejected" in as_qa
    assert "/retry" not in as_qa


@pytest.mark.django_db
def test_an_admin_retries_from_the_desk_and_the_mail_goes_out(personas, smtp):  # noqa: F811
    mail = given_up(smtp)
    client = session_client(personas.ada)
    client.get(f"/desk/t/{mail.ticket.number}/")  # sets the CSRF cookie, as the page does
    headers = {"HX-Request": "true", "X-CSRFToken": client.cookies["csrftoken"].value}
    response = client.post(f"/api/v1/deliveries/{mail.pk}/retry", headers=headers)
    assert response.status_code == 200
    assert response.content.decode().startswith(f'<li id="delivery-{mail.pk}"')
    assert "Waiting to be sent" in response.content.decode()
    smtp.reply = ""
    outbox.send_due(timezone.now())
    mail.refresh_from_db()
    assert mail.state == Delivery.State.SENT and smtp.of(mail)


@pytest.mark.django_db
def test_retry_over_the_api_is_for_admins_and_failed_mail_only(personas, smtp):  # noqa: F811
    mail = given_up(smtp)
    url = f"/api/v1/deliveries/{mail.pk}/retry"
    for who in (personas.anna, personas.quinn, personas.lena):
        assert api_client(who).post(url).status_code == 403
    admin = api_client(personas.ada)
    assert admin.post("/api/v1/deliveries/999999/retry").status_code == 404
    assert admin.post(url).json() == {"id": mail.pk, "state": "pending"}
    smtp.reply = ""
    outbox.send_due(timezone.now())
    again = admin.post(url)
    assert again.status_code == 409  # sent mail is never sent twice
    assert outbox.send_due(timezone.now()) == 0 and smtp.of(mail)
