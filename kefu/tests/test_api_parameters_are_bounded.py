"""Every number, id and null the security review found answered 500 is now a 422 naming the
field and the rule: a page past any list, ids past the databases' 64 bits, and null for fields
that always have a value."""

import pytest

from kefu.testing import api_client, make_ticket
from kefu.tickets.models import Ticket

HUGE = 2**64 + 1
JSON = "application/json"


def _errors(response):
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "validation_error"
    return {e["field"]: e["msg"] for e in response.json()["detail"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "limit"), [("/api/v1/kb/articles", "1000"), ("/api/v1/tickets", "10000")]
)
def test_a_huge_page_number_is_refused(personas, url, limit):
    client = api_client(personas.alice)
    assert client.get(f"{url}?page={HUGE}").status_code == 422
    errors = _errors(client.get(f"{url}?page={10**20}"))
    assert errors == {"page": f"Page: Enter a number of at most {limit}."}
    assert client.get(f"{url}?page={limit}").status_code == 200


@pytest.mark.django_db
def test_a_huge_page_number_is_refused_in_chinese(personas):
    client = api_client(personas.alice, **{"Accept-Language": "zh-CN"})
    errors = _errors(client.get(f"/api/v1/kb/articles?page={HUGE}"))
    assert errors == {"page": "页码：请输入不大于 1000 的数。"}


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["priority", "complexity", "tags", "status"])
def test_null_is_refused_where_a_ticket_always_has_a_value(personas, field):
    ticket = make_ticket(personas.anna)
    client = api_client(personas.lena)
    response = client.patch(f"/api/v1/tickets/{ticket.number}", {field: None}, content_type=JSON)
    [(name, message)] = _errors(response).items()
    assert name == field
    assert message.endswith("Enter a value; leave the field out to keep it as it is.")
    ticket.refresh_from_db()
    assert (ticket.priority, ticket.tags) == ("normal", [])


@pytest.mark.django_db
def test_null_still_clears_what_may_be_empty(personas):
    ticket = make_ticket(personas.anna)
    client = api_client(personas.lena)
    response = client.patch(
        f"/api/v1/tickets/{ticket.number}",
        {"assignee": None, "team": None, "priority": "high"},
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    assert (response.json()["assignee"], response.json()["priority"]) == (None, "high")


@pytest.mark.django_db
def test_the_schema_offers_no_null_for_those_fields(client):
    schema = client.get("/api/v1/openapi.json").json()
    update = schema["components"]["schemas"]["TicketUpdate"]["properties"]
    for field in ("status", "priority", "complexity", "tags"):
        assert "anyOf" not in update[field] and "default" not in update[field], field
    assert {"type": "null"} in update["assignee"]["anyOf"]


@pytest.mark.django_db
def test_ids_past_64_bits_are_refused(personas):
    ticket = make_ticket(personas.anna)
    lena = api_client(personas.lena)
    split = lena.post(
        f"/api/v1/tickets/{ticket.number}/split", {"messages": [HUGE]}, content_type=JSON
    )
    assert _errors(split) == {
        "messages.0": "Messages: Enter a number of at most 9223372036854775807."
    }
    read = lena.post("/api/v1/notifications/read", {"ids": [HUGE]}, content_type=JSON)
    assert _errors(read) == {
        "ids.0": "Notifications: Enter a number of at most 9223372036854775807."
    }
    retry = api_client(personas.ada).post(f"/api/v1/deliveries/{HUGE}/retry")
    assert _errors(retry) == {
        "delivery_id": "Delivery: Enter a number of at most 9223372036854775807."
    }
    calls = api_client(personas.anna).get(f"/api/v1/webhooks/{HUGE}/calls")
    assert calls.status_code == 422
    upload = lena.post(f"/api/v1/tickets/{ticket.number}/attachments", {"message_id": str(HUGE)})
    assert upload.status_code == 422
    assert Ticket.objects.count() == 1
