"""Admin for mailboxes, inbound records and outbound mail."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kefu.delivery.models import Delivery
from kefu.delivery.tests.test_email_smtp import acknowledgement, customer_mail
from kefu.intake.email.inbound import deliver
from kefu.intake.models import InboundRecord, Mailbox
from kefu.testing import session_client

SECRET = "imap-pass-word-9"


def admin_client(personas):
    client = session_client(personas.ada)
    client.get("/admin/")
    return client, client.cookies["csrftoken"].value


def mailbox_form(token: str, password: str) -> dict:
    return {
        "code": "service", "address": "service@kefu.example.com", "imap_host": "imap.example.com",
        "imap_port": "993", "imap_ssl": "on", "imap_user": "service", "imap_password": password,
        "imap_folder": "INBOX", "imap_done_folder": "", "poll_seconds": "30",
        "csrfmiddlewaretoken": token,
    }  # fmt: skip


@pytest.mark.django_db
def test_the_imap_password_is_write_only(personas):
    client, token = admin_client(personas)
    assert client.post("/admin/intake/mailbox/add/", mailbox_form(token, SECRET)).status_code == 302
    mailbox = Mailbox.objects.get()
    assert mailbox.imap_password == SECRET
    page = client.get(f"/admin/intake/mailbox/{mailbox.pk}/change/").content.decode()
    assert SECRET not in page
    client.post(f"/admin/intake/mailbox/{mailbox.pk}/change/", mailbox_form(token, ""))
    mailbox.refresh_from_db()
    assert mailbox.imap_password == SECRET  # left empty: kept
    client.post(f"/admin/intake/mailbox/{mailbox.pk}/change/", mailbox_form(token, "new-one-1"))
    mailbox.refresh_from_db()
    assert mailbox.imap_password == "new-one-1"


@pytest.mark.django_db
def test_poll_now_makes_imap_mailboxes_due(personas):
    client, token = admin_client(personas)
    later = timezone.now() + timezone.timedelta(hours=1)
    polled = Mailbox.objects.create(code="service", address="s@k.test", imap_host="imap.k.test",
                                    next_poll_at=later)  # fmt: skip
    client.post("/admin/intake/mailbox/", {"action": "poll_now", "_selected_action": [polled.pk],
                                           "csrfmiddlewaretoken": token})  # fmt: skip
    polled.refresh_from_db()
    assert polled.next_poll_at <= timezone.now()


@pytest.mark.django_db
def test_inbound_records_are_listed_read_only(personas):
    deliver(customer_mail("anna@acme.test", "Late order", "PO-1 is late.", "rec@acme.test"))
    record = InboundRecord.objects.get()
    client, token = admin_client(personas)
    listing = client.get("/admin/intake/inboundrecord/").content.decode()
    assert "anna@acme.test" in listing and record.ticket.number in listing
    assert client.get("/admin/intake/inboundrecord/add/").status_code == 403
    change = client.post(f"/admin/intake/inboundrecord/{record.pk}/change/",
                         {"outcome": "ignored", "csrfmiddlewaretoken": token})  # fmt: skip
    assert change.status_code == 403
    assert InboundRecord.objects.get().outcome == "ticket"


@pytest.mark.django_db
def test_outbound_mail_is_read_only_and_failed_mail_can_be_retried(personas):
    ticket = deliver(customer_mail("anna@acme.test", "Late order", "PO-1 is late.",
                                   "out@acme.test")).ticket  # fmt: skip
    mail = acknowledgement(ticket)
    Delivery.objects.filter(pk=mail.pk).update(state=Delivery.State.DEAD, last_error="550 rejected",
                                 next_attempt_at=None, attempts=8)  # fmt: skip
    client, token = admin_client(personas)
    listing = client.get("/admin/delivery/delivery/").content.decode()
    assert "550 rejected" in listing and "anna@acme.test" in listing
    assert client.get("/admin/delivery/delivery/add/").status_code == 403
    client.post("/admin/delivery/delivery/", {"action": "retry_selected",
                "_selected_action": [mail.pk], "csrfmiddlewaretoken": token})  # fmt: skip
    mail.refresh_from_db()
    assert mail.state == Delivery.State.PENDING and mail.next_attempt_at is not None
