import pytest

from kefu.testing import make_ticket, session_client
from kefu.tickets.models import Status


def _post(client, url: str, data: dict):
    client.get(url.replace("update/", ""))
    return client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, **data})


@pytest.mark.django_db
def test_queue_lists_the_teams_open_tickets_with_filters(personas):
    order = make_ticket(personas.anna, subject="Order late")
    billing = make_ticket(personas.anna, category="payment_billing", subject="Invoice missing")
    client = session_client(personas.alice)
    page = client.get("/desk/").content.decode()
    assert order.number in page and billing.number not in page
    filtered = client.get("/desk/?priority=urgent", headers={"HX-Request": "true"})
    assert order.number not in filtered.content.decode()
    assert "<html" not in filtered.content.decode()  # htmx gets only the table


@pytest.mark.django_db
def test_agent_replies_adds_a_note_assigns_and_changes_status(personas):
    ticket = make_ticket(personas.anna)
    client = session_client(personas.alice)
    url = f"/desk/t/{ticket.number}/"
    _post(client, url, {"body": "We are on it."})
    _post(client, url, {"body": "Called the carrier.", "internal": "on"})
    _post(client, url + "update/", {"take": "1"})
    _post(client, url + "update/", {"status": "pending_customer", "priority": "high",
                                    "complexity": "simple", "category": "", "team": personas.orders.pk,
                                    "assignee": personas.alice.agent.pk})  # fmt: skip
    ticket.refresh_from_db()
    assert ticket.assignee == personas.alice.agent
    assert (ticket.status, ticket.priority, ticket.category) == (
        Status.PENDING_CUSTOMER,
        "high",
        None,
    )
    assert list(ticket.messages.values_list("is_internal", flat=True)) == [False, False, True]
    timeline = client.get(url).content.decode()
    assert "Called the carrier." in timeline and "pending_customer" in timeline


@pytest.mark.django_db
def test_an_invalid_status_change_shows_an_error(personas):
    ticket = make_ticket(personas.anna)
    client = session_client(personas.alice)
    url = f"/desk/t/{ticket.number}/update/"
    response = _post(
        client,
        url,
        {
            "status": "closed",
            "priority": "normal",
            "complexity": "simple",
            "team": personas.orders.pk,
        },
    )
    page = client.get(response["Location"]).content.decode()
    assert "cannot go from" in page
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


@pytest.mark.django_db
def test_customers_and_other_teams_cannot_open_the_workspace_ticket(personas):
    ticket = make_ticket(personas.anna)
    assert session_client(personas.anna).get("/desk/").status_code == 404
    assert session_client(personas.bob).get(f"/desk/t/{ticket.number}/").status_code == 404
