"""The offline form (``POST /chat/leave/``, what the widget posts outside chat hours) with an
email typed in: a new unverified ticket, flagged, outside the claimed customer's organisation and
portal. Signed in, the customer's message is theirs as before (security review, issue #17)."""

import pytest
from django.test import Client
from django.urls import reverse

from kefu.testing import api_client, session_client
from kefu.tickets.models import Ticket


def _leave(client: Client, email: str = "anna@acme.test") -> Ticket:
    response = client.post("/chat/leave/", {"name": "Anna", "email": email, "order": "PO-9",
                                            "text": "Please cancel order PO-9 and refund."})  # fmt: skip
    assert response.status_code == 201, response.content
    return Ticket.objects.get(number=response.json()["ticket"])


@pytest.mark.django_db
def test_a_claimed_email_makes_an_unverified_ticket_outside_the_customers_portal(personas):
    ticket = _leave(Client())
    assert not ticket.is_verified and ticket.organization is None
    assert ticket.triage["identity"]["reason"] == "claimed"
    assert ticket.requester == personas.anna  # replies go to the address, i.e. to the real Anna
    listed = api_client(personas.anna).get("/api/v1/tickets").json()
    assert ticket.number not in {row["number"] for row in listed["results"]}
    assert ticket.number.encode() not in session_client(personas.anna).get("/portal/").content
    assert api_client(personas.anna).get(f"/api/v1/tickets/{ticket.number}").status_code == 404


@pytest.mark.django_db
def test_a_stranger_at_a_customers_mail_domain_gets_no_organisation(personas):
    personas.acme.email_domains = ["acme.test"]
    personas.acme.save()
    ticket = _leave(Client(), "new.buyer@acme.test")
    assert ticket.organization is None and not ticket.is_verified


@pytest.mark.django_db
def test_signed_in_the_message_is_the_customers_own(personas):
    client = Client()
    client.force_login(personas.anna)
    ticket = _leave(client, "")
    assert ticket.is_verified and ticket.organization == personas.acme
    assert "identity" not in ticket.triage


@pytest.mark.django_db
def test_the_agent_sees_the_flag_and_the_reason_on_the_ticket(personas):
    ticket = _leave(Client())
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
