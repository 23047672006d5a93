"""A ticket created in a unit of work gets its search document from what the unit wrote (the
instance and its messages) instead of reading them back: the document must be exactly the one
built from the committed rows, whatever the pipeline changed on the way (masking, routing,
tags, an agent filing for the customer with a note on a live channel)."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.search.documents import documents
from kefu.search.models import TicketDocument
from kefu.testing import Personas, api_client
from kefu.tickets.models import Message, Ticket


def _stored_and_rebuilt(number: str) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
    ticket = Ticket.objects.get(number=number)
    stored = TicketDocument.objects.get(ticket=ticket)
    (rebuilt,) = documents(Ticket, Message, [ticket.pk])
    return (stored.head, stored.body, stored.notes), (rebuilt.head, rebuilt.body, rebuilt.notes)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload",
    [
        {"subject": "Order PO-77 arrived damaged", "body": "12 units cracked, order PO-77.",
         "order_id": "PO-77"},
        {"subject": "退款什么时候到账", "body": "卡号 6222 0212 3456 7890 123 的退款还没到账"},
        {"subject": "API webhook returns 403", "body": "It fails with AE-ERR-403 since today.",
         "category": "payment_billing"},
    ],
)  # fmt: skip
def test_an_api_create_stores_the_document_its_rows_give(personas: Personas, payload):
    client = api_client(personas.anna)
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/tickets", json.dumps(payload),
                               content_type="application/json")  # fmt: skip
    assert response.status_code in (200, 201), response.content
    stored, rebuilt = _stored_and_rebuilt(response.json()["number"])
    assert stored == rebuilt
    assert stored[1]  # the customer's words are in it
    # Written once, not read back: no read of the ticket's messages for the index.
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert not [sql for sql in reads if '"tickets_message"."is_internal" AS' in sql]


@pytest.mark.django_db
def test_a_ticket_filed_by_an_agent_for_a_customer_has_the_document_its_rows_give(
    personas: Personas,
):
    client = api_client(personas.alice)
    payload = {"subject": "Phone call: invoice missing", "body": "客户来电：上月发票没有收到。",
               "requester_email": personas.anna.email, "channel": "phone"}  # fmt: skip
    response = client.post("/api/v1/tickets", json.dumps(payload),
                           content_type="application/json")  # fmt: skip
    assert response.status_code in (200, 201), response.content
    stored, rebuilt = _stored_and_rebuilt(response.json()["number"])
    assert stored == rebuilt
