"""An agent opens a ticket for a customer (a call, a visit, a mail or a WeChat message to them):
the customer is found by the desk's search or taken down as a new contact; the ticket goes
through the intake pipeline with the agent named in its history; a call is its own first
response; the customer sees it in the portal and is sent the usual receipt. The API does the
same for staff tokens and refuses the on-behalf fields to customers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from kefu.accounts.models import User
from kefu.delivery.models import Delivery
from kefu.sla.models import SlaClock
from kefu.testing import api_client, sample_file, session_client
from kefu.tickets.history import describe
from kefu.tickets.models import Category, EventKind, Message, Ticket, TicketEvent

URL = "/desk/new/"
REQUEST = {"category": "", "subject": "Late delivery", "body": "The caller says PO-88 is late.",
           "order_id": "PO-88", "desired_outcome": "", "expected_by": ""}  # fmt: skip


def _post(client, data: dict, query: str = ""):
    client.get(URL + query)
    token = client.cookies["csrftoken"].value
    return client.post(URL + query, {"csrfmiddlewaretoken": token, **REQUEST, **data})


def _orders() -> int:
    """The order category (the agents' team): the new ticket stays in their view."""
    return Category.objects.get(code="order_trade").pk


def _receipt(ticket: Ticket) -> Delivery:
    return Delivery.objects.get(ticket=ticket, kind=Delivery.Kind.ACKNOWLEDGEMENT)


@pytest.mark.django_db
def test_a_phone_ticket_for_a_customer_found_by_the_search(personas):
    alice = session_client(personas.alice)
    found = alice.get(URL, {"q": "Acme"}).content.decode()  # by organisation
    assert f'href="?requester={personas.anna.pk}"' in found and "alice@kefu.test" not in found
    assert f"?requester={personas.anna.pk}" in alice.get(URL, {"q": "anna@acme"}).content.decode()

    response = _post(alice, {"requester": personas.anna.pk, "channel": "phone"},
                     query=f"?requester={personas.anna.pk}")  # fmt: skip
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/desk/t/{ticket.number}/"
    assert (ticket.requester, ticket.organization, ticket.channel) == (
        personas.anna, personas.acme, "phone")  # fmt: skip
    assert ticket.is_verified and ticket.order_id == "PO-88"
    assert ticket.assignee == personas.alice.agent  # the call was theirs

    event = TicketEvent.objects.get(ticket=ticket, kind=EventKind.ON_BEHALF)
    assert event.actor == personas.alice and event.new == "phone"
    for language, words in (("en", "on the customer's behalf (Phone)"), ("zh-hans", "代客户")):
        with translation.override(language):
            assert words in describe(event)
    page = alice.get(f"/desk/t/{ticket.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "opened the ticket on the customer&#x27;s behalf (Phone)" in page

    clock = SlaClock.objects.get(ticket=ticket, metric="first_response")
    assert clock.target == "1m" and clock.state == SlaClock.State.MET  # the call answered it
    spoken = Message.objects.filter(ticket=ticket, author_role="agent", is_internal=False)
    assert spoken.count() == 1 and "A0001" in spoken.get().body

    anna = session_client(personas.anna)
    assert ticket.number in anna.get("/portal/?show=all").content.decode()
    assert anna.get(f"/portal/t/{ticket.number}/").status_code == 200
    receipt = _receipt(ticket)
    assert receipt.to == ["anna@acme.test"] and ticket.number in receipt.text


@pytest.mark.django_db
def test_an_email_ticket_for_a_new_contact(personas):
    alice = session_client(personas.alice)
    assert "No one found" in alice.get(URL, {"q": "Wang Lei"}).content.decode()
    contact = {"contact_name": "Wang Lei", "contact_email": "Wang.Lei@Example.test",
               "contact_phone": "+86 138 0013 8000", "contact_organization": personas.orbit.pk,
               "channel": "email", "category": _orders()}  # fmt: skip
    response = _post(alice, contact)
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    wang = User.objects.get(email="wang.lei@example.test")
    assert (wang.name, wang.phone, getattr(wang, "account", None)) == (
        "Wang Lei", "+86 138 0013 8000", None)  # fmt: skip
    assert ticket.requester == wang and ticket.organization == personas.orbit
    assert ticket.channel == "email" and not ticket.is_verified  # a contact proves no account
    assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.ON_BEHALF).exists()
    clock = SlaClock.objects.get(ticket=ticket, metric="first_response")
    assert clock.state == SlaClock.State.RUNNING  # a mail is not a conversation
    assert _receipt(ticket).to == ["wang.lei@example.test"]
    otto = session_client(personas.otto)  # the organisation the agent named sees it
    assert ticket.number in otto.get("/portal/?show=all").content.decode()

    again = _post(alice, {**contact, "contact_email": "anna@acme.test"})
    assert "Someone with this email is known" in again.content.decode()
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
def test_a_walk_in_contact_with_only_a_phone_number(personas):
    response = _post(session_client(personas.alice), {
        "contact_name": "Li Na", "contact_phone": "021-5555 1234", "channel": "walk_in",
        "category": _orders()})  # fmt: skip
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.requester.email == "caller-02155551234@phone.invalid"  # never mailed
    assert not Delivery.objects.filter(kind=Delivery.Kind.ACKNOWLEDGEMENT).exists()
    assert SlaClock.objects.get(ticket=ticket, metric="first_response").state == "met"


@pytest.mark.django_db
def test_the_desk_form_refuses_like_the_portal(personas):
    alice = session_client(personas.alice)
    chosen = {"requester": personas.anna.pk, "channel": "wechat"}
    empty = _post(alice, {**chosen, "subject": "hi", "body": "你好", "order_id": ""})
    assert empty.status_code == 200 and 'class="field invalid"' in empty.content.decode()
    bad_file = _post(alice, {**chosen, "attachments": [
        SimpleUploadedFile("run.exe", b"MZ\x90\x00" + b"\x00" * 64)]})  # fmt: skip
    assert bad_file.status_code == 200 and "JPG" in bad_file.content.decode()
    nobody = _post(alice, {"channel": "phone"})
    assert "Give the customer&#x27;s name" in nobody.content.decode()
    assert not Ticket.objects.exists()
    with_file = _post(alice, {**chosen, "attachments": [
        SimpleUploadedFile("box.jpg", sample_file("jpeg"))]})  # fmt: skip
    assert with_file.status_code == 302 and Ticket.objects.get().attachments.count() == 1


@pytest.mark.django_db
def test_qa_does_not_open_tickets_and_finds_nobody(personas):
    quinn = session_client(personas.quinn)
    assert quinn.get(URL, {"q": "anna"}).status_code == 403
    assert session_client(personas.anna).get(URL).status_code == 404


API = "/api/v1/tickets"
TEXT = {"subject": "Late delivery", "body": "The caller says PO-88 is late.", "order_id": "PO-88"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_api_opens_tickets_on_a_customer_s_behalf(personas):
    alice = api_client(personas.alice)
    by_id = alice.post(API, {**TEXT, "requester": personas.anna.pk, "channel": "phone",
                             "category": "order_trade"}, content_type="application/json")  # fmt: skip
    assert by_id.status_code == 201, by_id.content
    ticket = Ticket.objects.get(number=by_id.json()["number"])
    assert ticket.requester == personas.anna and ticket.channel == "phone"
    assert SlaClock.objects.get(ticket=ticket, metric="first_response").state == "met"
    assert TicketEvent.objects.get(ticket=ticket, kind=EventKind.ON_BEHALF).actor == personas.alice
    assert by_id.json()["number"] in api_client(personas.anna).get(API).content.decode()

    new = alice.post(API, {**TEXT, "requester_email": "buyer@newco.test", "channel": "email",
                           "category": "order_trade"}, content_type="application/json")  # fmt: skip
    assert new.status_code == 201, new.content
    contact = Ticket.objects.get(number=new.json()["number"])
    assert contact.requester.email == "buyer@newco.test" and not contact.is_verified
    assert _receipt(contact).to == ["buyer@newco.test"]


@pytest.mark.django_db
def test_the_api_refuses_like_the_portal(personas):
    alice = api_client(personas.alice)
    empty = alice.post(API, {"subject": "hi", "body": "你好", "requester": personas.anna.pk,
                             "channel": "wechat"}, content_type="application/json")  # fmt: skip
    assert empty.status_code == 422 and empty.json()["detail"][0]["field"] == "body"
    unknown = alice.post(API, {**TEXT, "requester": personas.alice.pk, "channel": "phone"},
                         content_type="application/json")  # fmt: skip
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["field"] == "requester"
    elsewhere = alice.post(API, {**TEXT, "requester": personas.anna.pk, "organization": "orbit"},
                           content_type="application/json")  # fmt: skip
    assert elsewhere.status_code == 422 and elsewhere.json()["detail"][0]["field"] == "requester"
    assert not Ticket.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("field, value", [("requester", None), ("requester_email", "otto@orbit.test"),
                                          ("channel", "phone"), ("organization", "orbit")])  # fmt: skip
def test_a_customer_s_token_cannot_use_the_on_behalf_fields(personas, field, value):
    value = personas.otto.pk if field == "requester" else value
    response = api_client(personas.anna).post(API, {**TEXT, field: value},
                                              content_type="application/json")  # fmt: skip
    assert response.status_code == 403 and response.json()["detail"][0]["field"] == field
    assert not Ticket.objects.exists()
