"""A customer's own labels are kept apart (``customer_tags``) and never select an SLA policy: a
customer who tags a ticket like the 2-minute policy gets the ordinary targets. The same tag set by
staff still selects it."""

from __future__ import annotations

import pytest

from kefu.sla.models import BusinessCalendar, SlaClock, SlaPolicy
from kefu.testing import api_client
from kefu.tickets.models import Ticket

URL = "/api/v1/tickets"
TEXT = {"subject": "货物延迟 PO-12", "body": "订单 PO-12 的货物一周没有更新物流。"}


@pytest.fixture
def two_minute_policy(db) -> SlaPolicy:
    calendar = BusinessCalendar.objects.get(code="cn-standard")
    return SlaPolicy.objects.create(code="vip-2min", calendar=calendar, tag="vip-2min",
                                    first_response="2m", resolution="10m", order=1)  # fmt: skip


def first_response_policy(ticket: Ticket) -> str:
    return SlaClock.objects.get(ticket=ticket, metric="first_response").policy.code


@pytest.mark.django_db
def test_a_customers_tag_is_kept_apart_and_selects_no_policy(personas, two_minute_policy):
    payload = {**TEXT, "tags": ["vip-2min", "my-label"]}
    response = api_client(personas.anna).post(URL, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["customer_tags"] == ["my-label", "vip-2min"]
    ticket = Ticket.objects.get()
    assert ticket.customer_tags == ["my-label", "vip-2min"] and "vip-2min" not in ticket.tags
    assert first_response_policy(ticket) != "vip-2min"
    assert SlaClock.objects.get(ticket=ticket, metric="first_response").target != "2m"


@pytest.mark.django_db
def test_the_same_tag_set_by_staff_selects_the_policy(personas, two_minute_policy):
    payload = {**TEXT, "tags": ["vip-2min"], "requester_email": "anna@acme.test",
               "organization": "acme"}  # fmt: skip
    response = api_client(personas.alice).post(URL, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get()
    assert ticket.tags == ["vip-2min"] and ticket.customer_tags == []
    assert first_response_policy(ticket) == "vip-2min"
