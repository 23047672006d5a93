"""Must-show 2: clocks pause in pending_customer and resume with the right remaining time."""

from datetime import datetime, timedelta

import pytest

from kefu.sla.models import SlaClock
from kefu.testing import api_client, make_ticket
from kefu.tickets import actions

from .conftest import SHANGHAI


def shanghai(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def clocks(ticket) -> dict[str, SlaClock]:
    return {c.metric: c for c in SlaClock.objects.filter(ticket=ticket)}


@pytest.mark.django_db
def test_resolution_clock_pauses_while_pending_customer_and_resumes(personas, frozen):
    ticket = make_ticket(personas.anna)  # Monday 10:00, simple: resolution 1 working day
    assert clocks(ticket)["resolution"].due_at == shanghai(24, 10)
    alice = personas.viewer(personas.alice)

    frozen.set(shanghai(23, 14))  # 4 working hours used of 9 (Mon 10-18, Tue 9-10)
    actions.add_message(ticket=ticket, actor=alice, body="Please send the waybill photo.")
    actions.change_status(ticket=ticket, actor=alice, status="pending_customer")
    paused = clocks(ticket)["resolution"]
    assert (paused.state, paused.due_at) == ("paused", None)
    assert paused.remaining_seconds == 5 * 3600

    frozen.set(shanghai(25, 11))  # Wednesday 11:00: the customer answers, the ticket reopens
    actions.add_message(ticket=ticket, actor=personas.viewer(personas.anna), body="Here it is.")
    resumed = clocks(ticket)["resolution"]
    assert resumed.state == "running"
    assert resumed.due_at == shanghai(25, 16)  # 5 working hours after 11:00
    assert resumed.warn_at == shanghai(25, 13, 45)  # 75 % of 9 h = 6 h 45 min: 2 h 45 min left
    assert resumed.remaining_seconds is None


@pytest.mark.django_db
def test_the_api_shows_due_time_state_and_remaining_business_time(personas, frozen):
    ticket = make_ticket(personas.anna)
    alice = personas.viewer(personas.alice)
    frozen.set(shanghai(23, 14))
    actions.add_message(ticket=ticket, actor=alice, body="Checking with the carrier.")
    actions.change_status(ticket=ticket, actor=alice, status="pending_customer")
    frozen.set(shanghai(24, 9))  # the clock stands still while it waits for the customer

    body = api_client(personas.anna).get(f"/api/v1/tickets/{ticket.number}/sla").json()
    by_metric = {c["metric"]: c for c in body}
    assert by_metric["resolution"]["state"] == "paused"
    assert by_metric["resolution"]["due_at"] is None
    assert by_metric["resolution"]["remaining_seconds"] == 5 * 3600
    first = by_metric["first_response"]
    assert (first["state"], first["met_at"][:19]) == ("met", "2026-11-23T06:00:00")

    frozen.set(shanghai(25, 11))
    actions.change_status(ticket=ticket, actor=alice, status="open")
    frozen.set(shanghai(25, 15))
    body = api_client(personas.anna).get(f"/api/v1/tickets/{ticket.number}/sla").json()
    resolution = next(c for c in body if c["metric"] == "resolution")
    assert resolution["state"] == "running"
    assert resolution["due_at"] == "2026-11-25T08:00:00Z"
    assert resolution["remaining_seconds"] == 3600
    assert resolution["calendars"] == ["cn-standard"] and resolution["target"] == "1d"


@pytest.mark.django_db
def test_remaining_time_goes_negative_in_business_time_once_overdue(personas, frozen):
    ticket = make_ticket(personas.anna)
    frozen.set(shanghai(24, 18) + timedelta(hours=15))  # Wednesday 09:00: 8 h + 0 h overnight
    body = api_client(personas.alice).get(f"/api/v1/tickets/{ticket.number}/sla").json()
    resolution = next(c for c in body if c["metric"] == "resolution")
    assert resolution["remaining_seconds"] == -8 * 3600  # Tue 10:00-18:00 counts, the night not
