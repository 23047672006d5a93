"""Must-show 4 (nudge): the customer's 催办 through the API and the portal, refused before 24 h."""

from datetime import datetime, timedelta

import pytest

from kefu.delivery.models import Delivery
from kefu.escalation.models import Nudge
from kefu.notifications.models import Notification
from kefu.testing import api_client, assigned_ticket, session_client
from kefu.tickets import actions
from kefu.tickets.models import Ticket, TicketEvent


def nudge(client, number: str):
    return client.post(f"/api/v1/tickets/{number}/nudge")


@pytest.mark.django_db
def test_refused_before_24_hours_without_an_update_with_the_time_it_opens(personas, frozen):
    ticket = assigned_ticket(personas)
    frozen.advance(hours=23, minutes=59)
    response = nudge(api_client(personas.anna), ticket.number)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "nudge_too_early"
    assert datetime.fromisoformat(body["available_at"]) == ticket.created_at + timedelta(hours=24)
    assert "from 2026-11-24 10:00 (UTC+08:00)" in body["detail"]
    assert not Nudge.objects.exists()


@pytest.mark.django_db
def test_a_nudge_raises_the_score_notifies_owner_and_lead_and_is_recorded(personas, frozen):
    ticket = assigned_ticket(personas)
    frozen.advance(hours=24)
    before = Ticket.objects.get(pk=ticket.pk).score
    response = nudge(api_client(personas.anna), ticket.number)
    assert response.status_code == 201
    assert datetime.fromisoformat(response.json()["next_nudge_at"]) == frozen.now + timedelta(
        hours=24
    )
    raised = TicketEvent.objects.get(ticket=ticket, kind="score")
    assert (raised.new - raised.old, raised.data["reason"]) == (10, "nudge")
    assert Ticket.objects.get(pk=ticket.pk).score >= before + 10
    kinds = set(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert {"nudged", "score"} <= kinds
    notified = Notification.objects.filter(kind="nudge", ticket=ticket)
    assert {n.recipient.agent.code for n in notified} == {"A0001", "L0001"}
    assert Delivery.objects.filter(kind="notification", ticket=ticket).count() == 2


@pytest.mark.django_db
def test_once_per_24_hours_and_a_support_reply_restarts_the_wait(personas, frozen):
    ticket = assigned_ticket(personas)
    client = api_client(personas.anna)
    frozen.advance(hours=25)
    assert nudge(client, ticket.number).status_code == 201
    frozen.advance(hours=3)
    again = nudge(client, ticket.number)
    assert again.status_code == 409
    assert "You nudged this ticket at 2026-11-24 11:00 (UTC+08:00)" in again.json()["detail"]
    assert datetime.fromisoformat(again.json()["available_at"]) == frozen.now + timedelta(hours=21)
    # The customer's own follow-up does not count as an update; support's reply does.
    actions.add_message(ticket=ticket, actor=personas.viewer(personas.anna), body="Any news?")
    frozen.advance(hours=21)
    actions.add_message(
        ticket=ticket, actor=personas.viewer(personas.alice), body="Carrier found it."
    )
    frozen.advance(hours=23)
    assert nudge(client, ticket.number).json()["code"] == "nudge_too_early"
    frozen.advance(hours=1)
    assert nudge(client, ticket.number).status_code == 201
    assert Nudge.objects.filter(ticket=ticket).count() == 2


@pytest.mark.django_db
def test_only_the_customer_of_an_open_ticket_may_nudge(personas, frozen):
    ticket = assigned_ticket(personas)
    frozen.advance(hours=30)
    assert nudge(api_client(personas.otto), ticket.number).status_code == 404
    assert nudge(api_client(personas.alice), ticket.number).json()["code"] == "forbidden"
    actions.change_status(ticket=ticket, actor=personas.viewer(personas.alice), status="resolved")
    assert nudge(api_client(personas.anna), ticket.number).json()["code"] == "invalid_transition"


@pytest.mark.django_db
def test_the_portal_button_says_when_and_nudges_when_allowed(personas, frozen):
    ticket = assigned_ticket(personas)
    client = session_client(personas.anna)
    url = f"/portal/t/{ticket.number}/"
    page = client.get(url).content.decode()
    assert "Nudge support" in page and "Possible from 2026-11-24 10:00 (UTC+08:00)" in page
    token = client.cookies["csrftoken"].value
    refused = client.post(f"{url}nudge/", {"csrfmiddlewaretoken": token}, follow=True)
    assert "You can nudge this ticket from 2026-11-24 10:00" in refused.content.decode()
    assert not Nudge.objects.exists()

    frozen.advance(hours=24)
    done = client.post(f"{url}nudge/", {"csrfmiddlewaretoken": token}, follow=True)
    assert done.redirect_chain[-1][0] == url
    assert "Support has been nudged" in done.content.decode()
    assert Nudge.objects.filter(ticket=ticket, user=personas.anna).count() == 1
    assert session_client(personas.otto).post(f"{url}nudge/").status_code in (403, 404)
