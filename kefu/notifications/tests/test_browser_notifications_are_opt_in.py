"""A customer's message on a ticket an agent owns raises that agent's unread count; it is also
offered as a browser notification only when the agent asked for that kind in the browser (a
column of the notification preferences, off by default; issue #13)."""

from __future__ import annotations

import pytest

from kefu.notifications.models import Preference
from kefu.testing import api_client, assigned_ticket, session_client
from kefu.tickets import actions


def _badge(client) -> str:
    return client.get("/notifications/badge/").content.decode()


@pytest.mark.django_db
def test_a_customer_message_raises_the_count_and_a_browser_alert_only_when_asked(personas):
    ticket = assigned_ticket(personas)
    client = session_client(personas.alice)
    assert ">1</span>" in _badge(client)  # "assigned to you"
    actions.add_message(ticket=ticket, actor=personas.viewer(personas.anna), body="Any news?")
    quiet = _badge(client)
    assert ">2</span>" in quiet and "data-alert-id" not in quiet

    client.get("/notifications/preferences/")
    client.post("/notifications/preferences/", {
        "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        "customer_reply-in_app": "on", "customer_reply-browser": "on",
    })  # fmt: skip
    assert Preference.objects.get(user=personas.alice, kind="customer_reply").browser
    asked = _badge(client)
    assert "data-alert-id" in asked
    assert f'data-alert-url="/desk/t/{ticket.number}/"' in asked
    assert ticket.number in asked.split("data-alert-text=")[1]


@pytest.mark.django_db
def test_an_api_client_that_omits_the_browser_choice_keeps_it(personas):
    Preference.objects.create(user=personas.alice, kind="customer_reply", browser=True)
    client = api_client(personas.alice)
    kept = client.put("/api/v1/notifications/preferences",
                      {"customer_reply": {"in_app": True, "email": True}},
                      content_type="application/json").json()  # fmt: skip
    assert kept["customer_reply"] == {"in_app": True, "email": True, "browser": True}
    off = client.put("/api/v1/notifications/preferences",
                     {"customer_reply": {"in_app": True, "email": True, "browser": False}},
                     content_type="application/json").json()  # fmt: skip
    assert off["customer_reply"]["browser"] is False
