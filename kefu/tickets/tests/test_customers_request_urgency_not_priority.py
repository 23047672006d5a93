"""Customers ask for urgency; support sets the priority. A customer's ``priority`` is refused by
the API (422 naming the field, in their language) and cannot be posted through the portal; the
request is kept on the ticket and shown to agents. Staff filing for a customer still set it."""

from __future__ import annotations

import pytest

from kefu.testing import api_client, session_client
from kefu.tickets.models import Priority, Ticket

URL = "/api/v1/tickets"
TEXT = {"subject": "货物延迟 PO-12", "body": "订单 PO-12 的货物一周没有更新物流。"}


def create(user, **payload):
    return api_client(user).post(URL, {**TEXT, **payload}, content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("priority", ["urgent", "high", "normal", "low"])
def test_a_customers_priority_is_refused_with_a_422_naming_the_field(personas, priority):
    response = create(personas.anna, priority=priority)
    assert response.status_code == 422
    body = response.json()
    assert "priority" in str(body) and '"urgent": true' in str(body["detail"])
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_the_refusal_is_in_the_callers_language(personas):
    client = api_client(personas.otto, **{"Accept-Language": "zh-CN"})
    response = client.post(URL, {**TEXT, "priority": "urgent"}, content_type="application/json")
    assert response.status_code == 422 and "客户不能设置优先级" in str(response.json()["detail"])


@pytest.mark.django_db
def test_a_customer_asks_for_urgency_and_agents_see_it(personas):
    response = create(personas.anna, urgent=True)
    assert response.status_code == 201, response.content
    assert response.json()["urgent_requested"] is True
    ticket = Ticket.objects.get()
    assert ticket.urgent_requested and ticket.priority == Priority.NORMAL
    ticket.team = personas.orders
    ticket.save(update_fields=["team"])
    page = session_client(personas.alice).get(f"/desk/t/{ticket.number}/").content.decode()
    assert "The customer asked for urgent handling" in page


@pytest.mark.django_db
def test_staff_filing_for_a_customer_still_set_the_priority(personas):
    response = create(personas.alice, priority="high", requester_email="anna@acme.test",
                      organization="acme")  # fmt: skip
    assert response.status_code == 201, response.content
    assert Ticket.objects.get().priority == Priority.HIGH


@pytest.mark.django_db
def test_the_portal_takes_an_urgency_request_and_ignores_a_posted_priority(personas):
    client = session_client(personas.anna)
    client.get("/portal/new/")
    form = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, "category": "",
            "order_id": "PO-12", "priority": "urgent", "tags": "sla-2min", **TEXT,
            "urgent": "on"}  # fmt: skip
    assert client.post("/portal/new/", form).status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.priority == Priority.NORMAL and ticket.urgent_requested
    assert ticket.tags == [] and ticket.customer_tags == []
