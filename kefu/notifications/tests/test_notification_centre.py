"""People read their notifications in the workspace, the portal and through the API, in their
language; the unread count follows."""

import pytest

from kefu.notifications.actions import notify
from kefu.notifications.models import Notification
from kefu.testing import api_client, make_ticket, session_client


@pytest.mark.django_db
def test_the_api_lists_and_marks_an_agents_notifications(personas):
    ticket = make_ticket(personas.anna)
    notify([personas.alice.agent], "nudge", ticket=ticket, params={"number": ticket.number})
    notify([personas.bob.agent], "nudge", ticket=ticket, params={"number": ticket.number})
    client = api_client(personas.alice)
    listed = client.get("/api/v1/notifications?unread=true").json()
    assert listed["unread"] == 1
    assert [(n["kind"], n["ticket"]) for n in listed["items"]] == [("nudge", ticket.number)]
    text = listed["items"][0]["text"]
    assert text == f"The customer nudged {ticket.number}: no update for 24 hours."
    marked = client.post("/api/v1/notifications/read", {}, content_type="application/json")
    assert marked.json() == {"marked": 1}
    assert client.get("/api/v1/notifications?unread=true").json() == {"unread": 0, "items": []}
    assert Notification.objects.filter(recipient=personas.bob, read_at__isnull=True).exists()
    assert api_client(personas.anna).get("/api/v1/notifications").json()["unread"] == 0


@pytest.mark.django_db
def test_the_desk_shows_notifications_and_the_ticket_shows_sla_and_escalation(personas):
    ticket = make_ticket(personas.anna)
    notify([personas.alice.agent], "sla_breach", ticket=ticket,
           params={"number": ticket.number, "metric": "resolution", "due": "2026-11-24T02:00:00+00:00"})  # fmt: skip
    client = session_client(personas.alice)
    page = client.get("/notifications/").content.decode()
    assert (
        f"{ticket.number}: Resolution was due at 2026-11-24 10:00 (UTC+08:00) and is overdue."
        in page
    )
    desk = client.get(f"/desk/t/{ticket.number}/").content.decode()
    assert "First response" in desk and "Resolution" in desk  # the SLA clocks
    assert 'href="/notifications/"' in desk and 'id="notify-badge"' in desk
    token = client.cookies["csrftoken"].value
    client.post("/notifications/", {"csrfmiddlewaretoken": token})
    assert not Notification.objects.filter(read_at__isnull=True).exists()
