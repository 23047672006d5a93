"""After a visit is confirmed: the customer is mailed a reminder the day before, once, by the
worker's sweep; on arrival the desk checks the visitor against the booking (name, organisation,
ID number) and records who let them in and when, keeping only the ID number's last 4; a visit
nobody arrived for is marked a no-show by an agent, or by the worker some hours after the slot;
a cancellation keeps who and when."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from kefu.appointments import actions, rules, sweep
from kefu.appointments.models import Booking, BookingStatus
from kefu.appointments.tests.test_a_booking_names_a_site_and_one_of_its_slots import (
    book,
    earliest_at,
    make_site,
)
from kefu.delivery.models import Delivery
from kefu.errors import Invalid
from kefu.testing import api_client
from kefu.tickets import actions as ticket_actions

ID_NUMBER = "11010519491231002X"  # the standard's sample PRC resident ID


def _confirmed(personas) -> Booking:
    answer = book(personas.anna, earliest_at(10), make_site().pk)
    assert answer.status_code == 201, answer.content
    ticket_actions.update_ticket(
        ticket=Booking.objects.get(pk=answer.json()["id"]).ticket,
        actor=personas.viewer(personas.ada),
        changes={"team": personas.orders, "assignee": personas.alice.agent},
    )
    return actions.confirm_booking(
        viewer=personas.viewer(personas.alice), booking_id=answer.json()["id"]
    )


def _reminders(booking: Booking) -> list[Delivery]:
    return list(Delivery.objects.filter(ticket=booking.ticket, text__contains="A reminder"))


@pytest.mark.django_db
def test_the_customer_is_reminded_the_day_before_once(personas):
    booking = _confirmed(personas)
    assert booking.remind_at == booking.slot - timedelta(days=1)
    sweep.sweep(booking.remind_at - timedelta(minutes=1))
    assert _reminders(booking) == []
    sweep.sweep(booking.remind_at)
    sweep.sweep(booking.remind_at + timedelta(minutes=5))
    (reminder,) = _reminders(booking)
    assert reminder.to == ["anna@acme.test"]
    assert "Shanghai Hongqiao office, 虹桥路 1 号" in reminder.text
    assert f"{booking.slot.astimezone(rules.zone()):%Y-%m-%d %H:%M}" in reminder.text
    assert Booking.objects.get(pk=booking.pk).reminded_at == booking.remind_at


@pytest.mark.django_db
def test_the_desk_checks_the_visitor_and_records_the_arrival_masked(personas):
    booking = _confirmed(personas)
    desk = api_client(personas.alice)
    url = f"/api/v1/appointments/{booking.pk}/arrival"

    def arrive(**values: str):
        body = {"name": "Anna", "organization": "Acme Trading", "id_number": ID_NUMBER, **values}
        return desk.post(url, json.dumps(body), content_type="application/json")

    wrong_name = arrive(name="Someone Else")
    assert wrong_name.status_code == 422
    assert wrong_name.json()["detail"][0]["field"] == "name"
    assert "(Anna)" in wrong_name.json()["detail"][0]["msg"]
    wrong_org = arrive(organization="Orbit Merchants")
    assert wrong_org.json()["detail"][0]["field"] == "organization"
    assert arrive(id_number="12").json()["detail"][0]["field"] == "id_number"
    assert Booking.objects.get(pk=booking.pk).arrived_at is None
    arrived = arrive(name=" anna ", organization="acme trading")
    assert arrived.status_code == 200, arrived.content
    stored = Booking.objects.get(pk=booking.pk)
    assert stored.status == BookingStatus.ARRIVED and stored.arrived_by == personas.alice
    assert stored.visitor_id_masked == "******002X"
    assert ID_NUMBER[:-4] not in json.dumps(arrived.json())
    assert ID_NUMBER[:-4] not in str(Booking.objects.filter(pk=booking.pk).values().get())
    # Arrived: the worker never makes it a no-show.
    sweep.sweep(stored.no_show_due_at + timedelta(hours=1))
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.ARRIVED
    customer = api_client(personas.anna)
    refused = customer.post(url, json.dumps({"name": "Anna", "organization": "Acme Trading",
                                             "id_number": ID_NUMBER}), content_type="application/json")  # fmt: skip
    assert refused.status_code == 403


@pytest.mark.django_db
def test_nobody_arrived_so_the_worker_marks_a_no_show_hours_after_the_slot_once(personas):
    booking = _confirmed(personas)
    assert booking.no_show_due_at == booking.slot + timedelta(hours=rules.NO_SHOW_HOURS)
    sweep.sweep(booking.no_show_due_at - timedelta(minutes=1))
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED
    sweep.sweep(booking.no_show_due_at)
    marked = Booking.objects.get(pk=booking.pk)
    assert marked.status == BookingStatus.NO_SHOW
    assert (marked.no_show_at, marked.no_show_by) == (booking.no_show_due_at, None)
    sweep.sweep(booking.no_show_due_at + timedelta(hours=1))
    assert Booking.objects.get(pk=booking.pk).no_show_at == booking.no_show_due_at


@pytest.mark.django_db
def test_an_agent_marks_a_no_show_once_the_slot_has_come(personas):
    booking = _confirmed(personas)
    alice = personas.viewer(personas.alice)
    with pytest.raises(Invalid):
        actions.mark_no_show(
            viewer=alice, booking_id=booking.pk, now=booking.slot - timedelta(hours=1)
        )
    after = booking.slot + timedelta(minutes=30)
    marked = actions.mark_no_show(viewer=alice, booking_id=booking.pk, now=after)
    assert (marked.status, marked.no_show_at, marked.no_show_by) == (
        BookingStatus.NO_SHOW, after, personas.alice,
    )  # fmt: skip


@pytest.mark.django_db
def test_a_cancellation_keeps_who_and_when(personas):
    booking = _confirmed(personas)
    answer = api_client(personas.anna).post(f"/api/v1/appointments/{booking.pk}/cancel")
    assert answer.status_code == 200
    assert answer.json()["cancelled_by"] == "anna@acme.test" and answer.json()["cancelled_at"]
    stored = Booking.objects.get(pk=booking.pk)
    assert (stored.status, stored.cancelled_by) == (BookingStatus.CANCELLED, personas.anna)
    assert stored.decided_by == personas.alice  # who confirmed it is still known
    sweep.sweep(booking.slot)
    assert _reminders(booking) == []  # a cancelled visit is not reminded
