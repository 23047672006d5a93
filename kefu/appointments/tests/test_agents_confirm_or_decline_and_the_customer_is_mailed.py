"""Agents confirm (at the requested time or another agreed) or decline a booking in the desk;
the customer is told by mail through the outbox; another organisation's booking is not found,
and customers cannot decide their own bookings."""

from __future__ import annotations

import json
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from kefu.appointments import actions, rules
from kefu.appointments.models import Booking, BookingStatus
from kefu.delivery.models import Delivery
from kefu.errors import Forbidden, InvalidTransition, NotFound
from kefu.testing import api_client, session_client
from kefu.tickets import actions as ticket_actions
from kefu.tickets.models import Channel

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _booked(personas) -> Booking:
    slot = datetime.combine(rules.earliest_day(timezone.now()), time(10), tzinfo=SHANGHAI)
    booking = actions.request_visit(
        viewer=personas.viewer(personas.anna),
        channel=Channel.WEB,
        slot=slot,
        topic="Bulk purchase talks",
        place="Shanghai",
    )
    ticket_actions.update_ticket(
        ticket=booking.ticket,
        actor=personas.viewer(personas.ada),
        changes={"team": personas.orders, "assignee": personas.alice.agent},
    )
    return booking


def _mail_to_anna(booking: Booking, says: str) -> Delivery:
    return Delivery.objects.get(ticket=booking.ticket, to=["anna@acme.test"], text__contains=says)


@pytest.mark.django_db
def test_the_agent_confirms_in_the_desk_and_the_customer_is_mailed(personas):
    booking = _booked(personas)
    client = session_client(personas.alice)
    page = client.get(f"/desk/t/{booking.ticket.number}/").content.decode()
    assert 'id="bookings"' in page and "Bulk purchase talks" in page
    token = client.cookies["csrftoken"].value
    answer = client.post(
        f"/desk/appointments/{booking.pk}/confirm/", {"slot": "", "csrfmiddlewaretoken": token}
    )
    assert answer.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.decided_by == personas.alice
    mail = _mail_to_anna(booking, "Your offline visit is confirmed: Bulk purchase talks")
    local = booking.slot.astimezone(SHANGHAI)
    assert f"{local:%Y-%m-%d %H:%M}" in mail.text and "Shanghai" in mail.text


@pytest.mark.django_db
def test_the_agent_proposes_another_time_by_confirming_it(personas):
    booking = _booked(personas)
    other = booking.slot.astimezone(SHANGHAI).replace(hour=15)
    confirmed = actions.confirm_booking(
        viewer=personas.viewer(personas.alice), booking_id=booking.pk, slot=other
    )
    assert confirmed.slot == other
    assert f"{other:%Y-%m-%d} 15:00" in _mail_to_anna(booking, "is confirmed").text


@pytest.mark.django_db
def test_the_agent_declines_with_a_reason_through_the_api(personas):
    booking = _booked(personas)
    alice = api_client(personas.alice)
    empty = alice.post(
        f"/api/v1/appointments/{booking.pk}/decline",
        json.dumps({"reason": " "}),
        content_type="application/json",
    )
    assert empty.status_code == 422 and empty.json()["detail"][0]["field"] == "reason"
    answer = alice.post(
        f"/api/v1/appointments/{booking.pk}/decline",
        json.dumps({"reason": "The meeting rooms are closed that week."}),
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["status"] == "declined"
    mail = _mail_to_anna(booking, "We cannot book your offline visit")
    assert "The meeting rooms are closed that week." in mail.text
    again = alice.post(
        f"/api/v1/appointments/{booking.pk}/confirm", "{}", content_type="application/json"
    )
    assert again.status_code == 409


@pytest.mark.django_db
def test_customers_cannot_decide_and_other_organisations_do_not_see_it(personas):
    booking = _booked(personas)
    with pytest.raises(Forbidden):
        actions.confirm_booking(viewer=personas.viewer(personas.anna), booking_id=booking.pk)
    with pytest.raises(NotFound):
        actions.cancel_booking(viewer=personas.viewer(personas.otto), booking_id=booking.pk)
    otto = api_client(personas.otto)
    assert otto.get("/api/v1/appointments").json() == []
    assert otto.post(f"/api/v1/appointments/{booking.pk}/cancel").status_code == 404
    assert (
        api_client(personas.bob)
        .post(  # billing's agent does not see an orders ticket
            f"/api/v1/appointments/{booking.pk}/confirm", "{}", content_type="application/json"
        )
        .status_code
        == 404
    )
    assert [b["id"] for b in api_client(personas.anna).get("/api/v1/appointments").json()] == [
        booking.pk
    ]


@pytest.mark.django_db
def test_the_customer_cancels_and_a_cancelled_visit_stays_cancelled(personas):
    booking = _booked(personas)
    actions.cancel_booking(viewer=personas.viewer(personas.anna), booking_id=booking.pk)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    with pytest.raises(InvalidTransition):
        actions.confirm_booking(viewer=personas.viewer(personas.alice), booking_id=booking.pk)
