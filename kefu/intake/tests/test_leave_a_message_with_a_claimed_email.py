"""The offline form (``POST /chat/leave/``, what the widget posts outside chat hours) with an
email typed in: no ticket at all until the link mailed to that address is followed (the contact
form's path, kefu/visitors, issue #14), so a claimed email reaches neither the customer's
organisation nor portal nor the queues. Signed in, the customer's message is theirs as before
(security review, issue #17)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from kefu.delivery.models import Delivery
from kefu.intake.chat import service
from kefu.testing import api_client, session_client
from kefu.tickets.models import Ticket
from kefu.visitors.models import ContactRequest


def _post(client: Client, email: str):
    return client.post("/chat/leave/", {"name": "Anna", "email": email, "order": "PO-9",
                                        "text": "Please cancel order PO-9 and refund."})  # fmt: skip


def _leave(client: Client, email: str = "anna@acme.test") -> Ticket:
    response = _post(client, email)
    assert response.status_code == 201, response.content
    return Ticket.objects.get(number=response.json()["ticket"])


@pytest.mark.django_db
def test_a_claimed_email_makes_no_ticket_until_the_mailed_link_is_followed(personas):
    response = _post(Client(), "anna@acme.test")
    assert response.status_code == 202 and response.json() == {"verify": "anna@acme.test"}
    assert not Ticket.objects.exists()
    assert ContactRequest.objects.get().state == ContactRequest.State.PENDING
    [mail] = Delivery.objects.all()
    assert mail.to == ["anna@acme.test"]  # only the real Anna can send it on
    listed = api_client(personas.anna).get("/api/v1/tickets").json()
    assert listed["results"] == []
    link = re.search(r"https?://\S+(/contact/v/\S+/)", mail.text).group(1)
    Client().post(link)
    ticket = Ticket.objects.get()
    assert ticket.requester == personas.anna and "PO-9" in ticket.messages.get().body


@pytest.mark.django_db
def test_a_stranger_at_a_customers_mail_domain_gets_no_organisation_until_proven(personas):
    personas.acme.email_domains = ["acme.test"]
    personas.acme.save()
    _post(Client(), "new.buyer@acme.test")
    assert not Ticket.objects.exists()
    link = re.search(r"https?://\S+(/contact/v/\S+/)", Delivery.objects.get().text).group(1)
    Client().post(link)
    # The mailbox is proven now: like authenticated mail from it, the organisation that declared
    # the domain takes the ticket.
    assert Ticket.objects.get().organization == personas.acme


@pytest.mark.django_db
def test_signed_in_the_message_is_the_customers_own(personas):
    client = Client()
    client.force_login(personas.anna)
    ticket = _leave(client, "")
    assert ticket.is_verified and ticket.organization == personas.acme
    assert "identity" not in ticket.triage


@pytest.mark.django_db
def test_the_agent_sees_the_flag_and_the_reason_on_the_ticket(personas):
    # A claimed address reaching the pipeline unproven (the form posts no longer do: above).
    ticket = service.leave_message(name="Anna", email="anna@acme.test",
                                   text="Please cancel order PO-9 and refund.")  # fmt: skip
    page = session_client(personas.ada).get(reverse("desk_ticket", args=[ticket.number]))
    text = page.content.decode()
    assert "Sender not proven" in text and "Claims to be anna@acme.test." in text
    assert "only typed into a form" in text
    personas.ada.language = "zh-hans"
    personas.ada.save()
    chinese = session_client(personas.ada).get(
        reverse("desk_ticket", args=[ticket.number]), headers={"Accept-Language": "zh-hans"}
    )
    assert "发件人身份未经证实" in chinese.content.decode()
