"""Merging shows both tickets side by side and merges only on an explicit confirmation; different
requesters or order ids of one organisation are named and need "I compared them"; tickets of
different customers are never merged, on the desk or through the API."""

from __future__ import annotations

import pytest

from kefu.testing import api_client, make_ticket, session_client
from kefu.tickets.models import Status, Ticket


def _desk(user, language: str = "en"):
    client = session_client(user)
    client.cookies["django_language"] = language
    client.get("/desk/")
    return client


def _post(client, url: str, data: dict):
    return client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, **data})


@pytest.mark.django_db
def test_the_confirmation_page_shows_both_tickets_and_merges_only_when_confirmed(personas):
    target = make_ticket(personas.anna, subject="Order PO-1 late", order_id="PO-1")
    source = make_ticket(personas.anna, subject="Same order again", order_id="PO-1")
    client = _desk(personas.alice)
    page = client.get(f"/desk/t/{source.number}/merge/?into={target.number.lower()}")
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        source.subject in html and target.subject in html and "Order PO-1 has not arrived." in html
    )
    assert 'role="alert"' not in html and "confirm_differences" not in html
    source.refresh_from_db()
    assert source.merged_into is None  # looking merges nothing
    response = _post(client, f"/desk/t/{source.number}/merge/", {"into": target.number})
    assert response["Location"] == f"/desk/t/{target.number}/"
    source.refresh_from_db()
    assert (source.merged_into, source.status) == (target, Status.CLOSED)


@pytest.mark.django_db
@pytest.mark.parametrize("language,requester_words,order_words", [
    ("en", "The requesters differ", "The order ids differ"),
    ("zh-hans", "提交人不同", "订单号不同"),
])  # fmt: skip
def test_different_requesters_or_orders_are_named_and_need_an_explicit_confirmation(
    personas, language, requester_words, order_words
):
    target = make_ticket(personas.anna, order_id="PO-1")
    source = make_ticket(personas.sam, order_id="PO-2")
    client = _desk(personas.alice, language)
    html = client.get(f"/desk/t/{source.number}/merge/?into={target.number}").content.decode()
    assert requester_words in html and order_words in html
    assert 'name="confirm_differences"' in html
    _post(client, f"/desk/t/{source.number}/merge/", {"into": target.number})
    assert not Ticket.objects.filter(merged_into__isnull=False).exists()
    _post(client, f"/desk/t/{source.number}/merge/",
          {"into": target.number, "confirm_differences": "1"})  # fmt: skip
    source.refresh_from_db()
    assert source.merged_into == target


@pytest.mark.django_db
def test_the_api_wants_the_same_confirmation_and_never_merges_other_customers(personas):
    ada = api_client(personas.ada)
    target, source = make_ticket(personas.anna), make_ticket(personas.sam)
    url = f"/api/v1/tickets/{source.number}/merge"
    refused = ada.post(url, {"into": target.number}, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"][-1] == "confirm_differences"
    orbit = make_ticket(personas.otto)
    other = ada.post(f"/api/v1/tickets/{orbit.number}/merge",
                     {"into": target.number, "confirm_differences": True},
                     content_type="application/json")  # fmt: skip
    assert other.status_code == 422
    done = ada.post(url, {"into": target.number, "confirm_differences": True},
                    content_type="application/json")  # fmt: skip
    assert done.status_code == 200 and done.json()["number"] == target.number


@pytest.mark.django_db
def test_other_customers_tickets_show_why_and_offer_no_merge(personas):
    acme, orbit = make_ticket(personas.anna), make_ticket(personas.otto)
    html = _desk(personas.ada).get(f"/desk/t/{acme.number}/merge/?into={orbit.number}")
    text = html.content.decode()
    assert "different customers" in text and "Merge into" not in text.split("</h1>", 1)[1]


@pytest.mark.django_db
def test_an_unknown_or_hidden_target_goes_back_with_a_message(personas):
    mine = make_ticket(personas.anna)
    billing = make_ticket(personas.anna, category="payment_billing")
    client = _desk(personas.alice)
    for into in ("KF-NOPE", billing.number, ""):
        response = client.get(f"/desk/t/{mine.number}/merge/?into={into}")
        assert response["Location"] == f"/desk/t/{mine.number}/"
