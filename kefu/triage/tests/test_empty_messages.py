"""Emoji-only or near-empty messages get a request for details instead of a ticket: a 422 for
people waiting (API, portal), a reply mail for email."""

import pytest

from kefu.delivery.models import Delivery
from kefu.delivery.tests.test_email_smtp import customer_mail
from kefu.intake.email.inbound import deliver
from kefu.intake.models import InboundRecord, Outcome
from kefu.testing import api_client, session_client
from kefu.tickets.models import Ticket
from kefu.triage.dedupe import is_near_empty


@pytest.mark.parametrize(
    "text", ["👍👍👍", "🙂\n", "?!…", "你好，在吗？", "hi there", "Hello!! 😀"]
)
def test_these_say_nothing(text):
    assert is_near_empty(text)


@pytest.mark.parametrize(
    "text", ["退款", "refund?", "PO-88123", "hi, where is my order", "😡 order late"]
)
def test_these_say_something(text):
    assert not is_near_empty(text)


@pytest.mark.django_db
def test_the_api_answers_422_with_a_clear_message(personas):
    response = api_client(personas.anna).post(
        "/api/v1/tickets", {"subject": "🙂", "body": "👍👍"}, content_type="application/json"
    )
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["field"] == "body" and "describe your problem" in problem["msg"]
    assert not Ticket.objects.exists() and not InboundRecord.objects.exists()


@pytest.mark.django_db
def test_the_portal_shows_it_on_the_form(personas):
    client = session_client(personas.anna)
    client.get("/portal/new/")
    page = client.post("/portal/new/", {"subject": "hi", "body": "😀😀",
                                        "csrfmiddlewaretoken": client.cookies["csrftoken"].value})  # fmt: skip
    assert page.status_code == 200 and "describe your problem" in page.content.decode()
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_email_gets_a_bilingual_request_for_details_and_no_ticket(personas):
    result = deliver(customer_mail("otto@orbit.test", "你好", "😀😀😀", "emoji@orbit.test"))
    assert result.outcome == Outcome.IGNORED and result.ticket is None
    assert InboundRecord.objects.get().reason.startswith("no details")
    mail = Delivery.objects.get()
    assert mail.to == ["otto@orbit.test"] and mail.in_reply_to == "emoji@orbit.test"
    assert mail.text.index("请回复") < mail.text.index("Please reply")  # Otto reads Chinese first
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_an_emoji_reply_on_an_existing_ticket_is_just_a_message(personas):
    first = deliver(
        customer_mail(
            "anna@acme.test",
            "Order PO-88123 unpaid?",
            "Order PO-88123 still shows unpaid.",
            "one@acme.test",
        )
    )
    thanks = deliver(
        customer_mail("anna@acme.test", f"Re: [{first.ticket.number}]", "👍", "two@acme.test")
    )
    assert thanks.outcome == Outcome.MESSAGE and thanks.ticket == first.ticket


@pytest.mark.django_db
def test_a_chat_may_start_with_a_greeting(personas):
    from kefu.intake.base import InboundMessage
    from kefu.intake.ingest import ingest

    result = ingest(
        InboundMessage(
            channel="chat", external_id="chat:1", text="你好，在吗？", user=personas.otto
        )
    )
    assert result.outcome == Outcome.TICKET
