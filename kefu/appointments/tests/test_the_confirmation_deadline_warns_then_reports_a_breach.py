"""The worker's appointments sweeper: one working day after the request the ticket's agent is
warned; at the 2-working-day deadline the agent and the team lead are told it is overdue. Each
is said once, however many workers sweep; a decided booking is never reported."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kefu.appointments import sweep
from kefu.appointments.models import Booking
from kefu.appointments.tests.test_agents_confirm_or_decline_and_the_customer_is_mailed import (
    _booked,
)
from kefu.notifications.models import Kind, Notification


def _told(user, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=kind))


@pytest.mark.django_db
def test_warning_then_breach_once_each(personas):
    booking = _booked(personas)
    assert sweep.next_due() == booking.warn_at
    assert sweep.sweep(booking.warn_at - timedelta(seconds=1)) == 0
    assert sweep.sweep(booking.warn_at) == 1
    assert sweep.sweep(booking.warn_at) == 0  # a second worker finds nothing to do
    (warning,) = _told(personas.alice, Kind.SLA_WARNING)
    assert warning.ticket == booking.ticket
    assert "confirmation of the offline visit" in warning.params["metric"]["en"]
    assert sweep.next_due() == booking.confirm_due_at
    assert sweep.sweep(booking.confirm_due_at) == 1
    assert sweep.sweep(booking.confirm_due_at + timedelta(hours=1)) == 0
    assert len(_told(personas.alice, Kind.SLA_BREACH)) == 1
    assert len(_told(personas.lena, Kind.SLA_BREACH)) == 1  # the orders team's lead
    assert sweep.next_due() is None
    Booking.objects.filter(pk=booking.pk).update(warned_at=None)  # it was warned: kept as is
    assert Booking.objects.get(pk=booking.pk).breached_at is not None


@pytest.mark.django_db
def test_a_confirmed_booking_is_not_reported(personas):
    from kefu.appointments import actions

    booking = _booked(personas)
    confirmed = actions.confirm_booking(
        viewer=personas.viewer(personas.alice), booking_id=booking.pk
    )
    # Only the visit's own timers are left: its reminder (or, past that, its no-show deadline).
    assert sweep.next_due() == (confirmed.remind_at or confirmed.no_show_due_at)
    sweep.sweep(booking.confirm_due_at + timedelta(days=3))
    assert _told(personas.alice, Kind.SLA_WARNING) == []
