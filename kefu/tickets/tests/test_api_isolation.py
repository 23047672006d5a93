"""Every ticket endpoint answers 404 — never 403 — for a ticket the caller may not see."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kefu.testing import api_client, make_ticket, sample_file


def _calls(number: str):
    upload = SimpleUploadedFile("a.png", sample_file("png"), content_type="image/png")
    json = {"content_type": "application/json"}
    return [
        ("get", f"/api/v1/tickets/{number}", {}),
        ("patch", f"/api/v1/tickets/{number}", {"data": {"status": "closed"}, **json}),
        ("post", f"/api/v1/tickets/{number}/messages", {"data": {"body": "hi"}, **json}),
        ("post", f"/api/v1/tickets/{number}/attachments", {"data": {"file": upload}}),
        ("get", f"/api/v1/tickets/{number}/events", {}),
    ]


def _assert_hidden(client, number: str) -> None:
    for method, url, kwargs in _calls(number):
        response = getattr(client, method)(url, **kwargs)
        assert response.status_code == 404, (method, url, response.status_code)
        assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_another_organisations_customer_gets_404_everywhere(personas):
    ticket = make_ticket(personas.anna)
    _assert_hidden(api_client(personas.otto), ticket.number)
    assert api_client(personas.otto).get("/api/v1/tickets").json()["count"] == 0


@pytest.mark.django_db
def test_sub_account_sees_only_what_its_scopes_allow(personas):
    own = make_ticket(personas.sam, category="other", subject="Sam's own")
    order = make_ticket(personas.anna, category="shipment_logistics", subject="Order ticket")
    with_order_id = make_ticket(personas.anna, category="other", order_id="PO-9")
    billing = make_ticket(personas.anna, category="payment_billing", subject="Invoice")
    client = api_client(personas.sam)
    visible = {t["number"] for t in client.get("/api/v1/tickets").json()["results"]}
    assert visible == {own.number, order.number, with_order_id.number}
    _assert_hidden(client, billing.number)


@pytest.mark.django_db
def test_sub_account_without_billing_scope_cannot_file_billing_tickets(personas):
    response = api_client(personas.sam).post(
        "/api/v1/tickets",
        {"subject": "Invoice", "body": "Need a VAT invoice", "category": "payment_billing"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["detail"][0]["field"] == "category"


@pytest.mark.django_db
def test_main_account_sees_the_whole_organisation(personas):
    sams = make_ticket(personas.sam, category="other")
    results = api_client(personas.anna).get("/api/v1/tickets").json()["results"]
    numbers = {t["number"] for t in results}
    assert sams.number in numbers


@pytest.mark.django_db
def test_agents_see_their_teams_tickets_admins_and_qa_see_all(personas):
    orders = make_ticket(personas.anna, category="order_trade")
    billing = make_ticket(personas.anna, category="payment_billing")
    _assert_hidden(api_client(personas.alice), billing.number)
    _assert_hidden(api_client(personas.bob), orders.number)
    assert api_client(personas.bob).get(f"/api/v1/tickets/{billing.number}").status_code == 200
    for everyone in (personas.ada, personas.quinn):
        assert api_client(everyone).get("/api/v1/tickets").json()["count"] == 2


@pytest.mark.django_db
def test_an_agent_sees_a_ticket_assigned_to_them_outside_their_teams(personas):
    from kefu.tickets import actions

    billing = make_ticket(personas.anna, category="payment_billing")
    actions.update_ticket(ticket=billing, actor=personas.viewer(personas.ada),
                          changes={"assignee": personas.alice.agent})  # fmt: skip
    assert api_client(personas.alice).get(f"/api/v1/tickets/{billing.number}").status_code == 200


@pytest.mark.django_db
def test_qa_reviews_but_cannot_change_or_reply(personas):
    ticket = make_ticket(personas.anna)
    qa = api_client(personas.quinn)
    patch = qa.patch(f"/api/v1/tickets/{ticket.number}", {"priority": "high"},
                     content_type="application/json")  # fmt: skip
    reply = qa.post(f"/api/v1/tickets/{ticket.number}/messages", {"body": "hi"},
                    content_type="application/json")  # fmt: skip
    note = qa.post(
        f"/api/v1/tickets/{ticket.number}/messages",
        {"body": "QA: tone ok", "internal": True},
        content_type="application/json",
    )
    assert (patch.status_code, reply.status_code, note.status_code) == (403, 403, 201)
