"""Must-show 4 (complaint): after 48 h unhandled, a linked complaint ticket with a 72 h SLA."""

from datetime import datetime, timedelta

import pytest

from kefu.escalation.models import QaReview
from kefu.notifications.models import Notification
from kefu.sla.models import SlaClock
from kefu.testing import api_client, assigned_ticket, session_client
from kefu.tickets import actions
from kefu.tickets.models import Ticket, TicketEvent


def complain(client, number: str, **payload):
    body = {"reason": "Nobody answers.", **payload}
    return client.post(f"/api/v1/tickets/{number}/complaint", body, content_type="application/json")


@pytest.mark.django_db
def test_refused_before_48_hours_with_the_time_it_becomes_possible(personas, frozen):
    ticket = assigned_ticket(personas)
    frozen.advance(hours=47)
    response = complain(api_client(personas.anna), ticket.number)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "complaint_too_early"
    assert datetime.fromisoformat(body["available_at"]) == ticket.created_at + timedelta(hours=48)
    assert "from 2026-11-25 10:00 (UTC+08:00)" in body["detail"]
    assert not Ticket.objects.filter(is_complaint=True).exists()


@pytest.mark.django_db
def test_a_complaint_opens_a_linked_ticket_for_the_complaints_team_with_72_hours(personas, frozen):
    ticket = assigned_ticket(personas)
    frozen.advance(hours=48)
    response = complain(api_client(personas.anna), ticket.number)
    assert response.status_code == 201
    complaint = Ticket.objects.get(number=response.json()["complaint"])
    assert (complaint.is_complaint, complaint.team.code, complaint.related_to, complaint.relation) == (
        True, "complaints", ticket, "complaint",
    )  # fmt: skip
    assert complaint.requester == personas.anna and complaint.organization == personas.acme
    assert complaint.subject.startswith(f"Complaint about {ticket.number}")
    intervention = SlaClock.objects.get(ticket=complaint, metric="first_response")
    assert (intervention.target, intervention.calendars) == ("72h", "always")
    assert intervention.due_at == frozen.now + timedelta(hours=72)
    assert TicketEvent.objects.filter(
        ticket=ticket, kind="complaint", new=complaint.number
    ).exists()
    assert {n.recipient.agent.code for n in Notification.objects.filter(kind="complaint")} == {
        "A0001",
        "L0001",
    }
    # The customer sees their complaint like any of their tickets.
    assert api_client(personas.anna).get(f"/api/v1/tickets/{complaint.number}").status_code == 200


@pytest.mark.django_db
def test_one_open_complaint_per_ticket_and_none_on_closed_tickets(personas, frozen):
    ticket = assigned_ticket(personas)
    frozen.advance(hours=50)
    client = api_client(personas.anna)
    first = complain(client, ticket.number).json()["complaint"]
    again = complain(client, ticket.number)
    assert (again.status_code, again.json()["code"]) == (409, "complaint_exists")
    assert first in again.json()["detail"]
    assert complain(client, first).json()["code"] == "invalid_transition"  # not about a complaint
    other = assigned_ticket(personas)
    actions.change_status(ticket=other, actor=personas.viewer(personas.alice), status="resolved")
    frozen.advance(hours=50)
    assert complain(client, other.number).json()["code"] == "invalid_transition"


@pytest.mark.django_db
def test_a_complaint_about_the_agent_opens_a_qa_review(personas, frozen):
    ticket = assigned_ticket(personas)
    frozen.advance(hours=48)  # Wednesday 10:00
    complain(api_client(personas.anna), ticket.number, about_agent=True)
    review = QaReview.objects.get()
    assert (review.ticket, review.agent, review.source) == (
        ticket,
        personas.alice.agent,
        "complaint",
    )
    assert review.due_at == frozen.now + timedelta(days=2)  # Friday 10:00: 2 working days


@pytest.mark.django_db
def test_other_organisations_and_staff_cannot_complain(personas, frozen):
    ticket = assigned_ticket(personas)
    frozen.advance(hours=49)
    assert complain(api_client(personas.otto), ticket.number).status_code == 404
    assert complain(api_client(personas.alice), ticket.number).status_code == 403
    bad = complain(api_client(personas.anna), ticket.number, reason="  ")
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "reason"


@pytest.mark.django_db
def test_the_portal_offers_the_complaint_after_48_hours(personas, frozen):
    ticket = assigned_ticket(personas)
    client = session_client(personas.anna)
    url = f"/portal/t/{ticket.number}/"
    page = client.get(url).content.decode()
    assert "Possible from 2026-11-25 10:00 (UTC+08:00)" in page
    token = client.cookies["csrftoken"].value
    form = {"csrfmiddlewaretoken": token, "reason": "Still nothing."}
    refused = client.post(f"{url}complaint/", form, follow=True)
    assert "You can file a formal complaint from 2026-11-25 10:00" in refused.content.decode()

    frozen.advance(hours=48)
    assert 'name="reason"' in client.get(url).content.decode()
    done = client.post(f"{url}complaint/", form, follow=True)
    complaint = Ticket.objects.get(is_complaint=True)
    assert done.redirect_chain[-1][0] == f"/portal/t/{complaint.number}/"
    assert "complaints team intervenes within 72 hours" in done.content.decode()
    assert complaint.number in client.get(url).content.decode()
