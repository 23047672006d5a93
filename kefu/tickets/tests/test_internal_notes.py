import pytest

from kefu.testing import api_client, make_ticket, session_client
from kefu.tickets import actions


@pytest.mark.django_db
def test_customers_cannot_post_internal_notes(personas):
    ticket = make_ticket(personas.anna)
    response = api_client(personas.anna).post(
        f"/api/v1/tickets/{ticket.number}/messages",
        {"body": "let me in", "internal": True},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not ticket.messages.filter(is_internal=True).exists()


@pytest.mark.django_db
def test_customers_never_see_internal_notes_or_their_events(personas):
    ticket = make_ticket(personas.anna)
    actions.add_message(ticket=ticket, actor=personas.viewer(personas.alice),
                        body="SECRET carrier claim", internal=True)  # fmt: skip
    client = api_client(personas.anna)
    detail = client.get(f"/api/v1/tickets/{ticket.number}").json()
    assert all("SECRET" not in m["body"] for m in detail["messages"])
    events = client.get(f"/api/v1/tickets/{ticket.number}/events").json()
    assert "note" not in {e["kind"] for e in events}
    page = session_client(personas.anna).get(f"/portal/t/{ticket.number}/")
    assert b"SECRET" not in page.content
    staff = session_client(personas.alice).get(f"/desk/t/{ticket.number}/")
    assert b"SECRET" in staff.content
