"""Search finds a ticket by anything it says or is about (issue 13, must show 4), through
``GET /api/v1/tickets?q=`` and the index the flow keeps current, scoped like every read."""

from __future__ import annotations

import pytest

from kefu.accounts.models import User
from kefu.testing import Personas, api_client, make_ticket
from kefu.tickets import actions
from kefu.tickets.models import Ticket


def _found(user: User, query: str, **filters: str) -> list[str]:
    response = api_client(user).get("/api/v1/tickets", {"q": query, **filters})
    assert response.status_code == 200, response.content
    return [row["number"] for row in response.json()["results"]]


@pytest.fixture
def invoice(personas: Personas) -> Ticket:
    """Anna's ticket whose subject says nothing of the invoice her second message asks for."""
    ticket = make_ticket(personas.anna, subject="Order question", body="Where is PO-77123?",
                         order_id="PO-77123")  # fmt: skip
    actions.add_message(ticket=ticket, actor=personas.viewer(personas.ada), body="On its way.")
    actions.add_message(ticket=ticket, actor=personas.viewer(personas.anna),
                        body="收到了，请开发票给我们，谢谢。We need two refunds as well.")  # fmt: skip
    return ticket


@pytest.mark.django_db
def test_a_two_character_chinese_word_in_a_later_message(personas: Personas, invoice: Ticket):
    make_ticket(personas.otto, subject="发货问题", body="还没有收到货")  # 发 and 票 but no 发票
    assert _found(personas.ada, "发票") == [invoice.number]
    assert _found(personas.anna, "发票") == [invoice.number]


@pytest.mark.django_db
def test_by_the_customers_email_the_organisation_and_the_order(personas: Personas, invoice: Ticket):
    make_ticket(personas.otto, subject="Another order", order_id="PO-77124")
    assert _found(personas.ada, "anna@acme.test") == [invoice.number]
    assert _found(personas.ada, "Acme Trading") == [invoice.number]
    assert _found(personas.ada, "PO-77123") == [invoice.number]


@pytest.mark.django_db
def test_an_english_word_by_its_stem(personas: Personas, invoice: Ticket):
    assert _found(personas.ada, "refund") == [invoice.number]
    assert _found(personas.ada, "Refunded") == [invoice.number]


@pytest.mark.django_db
def test_the_list_row_shows_the_match_highlighted_and_escaped(personas: Personas, invoice: Ticket):
    actions.add_message(ticket=invoice, actor=personas.viewer(personas.anna),
                        body="<b>发票</b> urgently")  # fmt: skip
    row = api_client(personas.ada).get("/api/v1/tickets", {"q": "发票"}).json()["results"][0]
    assert row["snippet"].count("<mark>发票</mark>") == 1
    assert "&lt;b&gt;" not in row["snippet"]  # the first message with a match is shown
    row = api_client(personas.ada).get("/api/v1/tickets", {"q": "urgently"}).json()["results"][0]
    assert "&lt;b&gt;发票&lt;/b&gt; <mark>urgently</mark>" in row["snippet"]


@pytest.mark.django_db
def test_filters_combine_with_the_query(personas: Personas, invoice: Ticket):
    invoice.refresh_from_db()
    assert _found(personas.ada, "发票", status=invoice.status) == [invoice.number]
    assert _found(personas.ada, "发票", status="resolved") == []
    assert _found(personas.ada, "发票", org="orbit") == []


@pytest.mark.django_db
def test_a_customer_never_finds_another_organisations_ticket(personas: Personas):
    theirs = make_ticket(personas.otto, subject="发票 for Orbit", body="发票 anna@acme.test")
    ours = make_ticket(personas.anna, subject="发票 for Acme")
    assert _found(personas.anna, "发票") == [ours.number]
    assert _found(personas.anna, "anna@acme.test") == [ours.number]
    assert _found(personas.otto, "发票") == [theirs.number]
    assert set(_found(personas.ada, "发票")) == {ours.number, theirs.number}


@pytest.mark.django_db
def test_only_staff_match_internal_notes(personas: Personas, invoice: Ticket):
    actions.add_message(ticket=invoice, actor=personas.viewer(personas.ada),
                        body="客户是黑名单 suspicious chargeback", internal=True)  # fmt: skip
    assert _found(personas.ada, "黑名单") == [invoice.number]
    assert _found(personas.ada, "chargeback 发票") == [invoice.number]  # a note and a message
    assert _found(personas.anna, "黑名单") == []
    assert _found(personas.anna, "chargeback") == []
    row = api_client(personas.anna).get("/api/v1/tickets", {"q": "发票"}).json()["results"][0]
    assert "chargeback" not in row["snippet"]


@pytest.mark.django_db
def test_relevance_first_then_recency(personas: Personas):
    older_subject = make_ticket(personas.anna, subject="物流 delayed", body="hello")
    body_only = make_ticket(personas.anna, subject="Question", body="物流")
    newest_body_only = make_ticket(personas.anna, subject="Question", body="物流")
    assert _found(personas.ada, "物流") == [
        older_subject.number,
        newest_body_only.number,
        body_only.number,
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ['"', "' OR 1=1 --", "\\", "*", "AND NOT", "。，！", "a:*|b", "%_"]
)
def test_any_query_is_answered(personas: Personas, invoice: Ticket, query: str):
    assert _found(personas.ada, query) == []
    assert _found(personas.anna, query) == []


@pytest.mark.django_db
def test_a_sub_account_finds_only_what_its_scopes_show(personas: Personas, invoice: Ticket):
    billing = make_ticket(personas.anna, subject="发票 for the bill", category="payment_billing")
    assert _found(personas.ada, "发票") == [billing.number, invoice.number]
    assert _found(personas.sam, "发票") == [invoice.number]  # orders, never payment tickets
