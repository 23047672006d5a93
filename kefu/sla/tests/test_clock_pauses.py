"""Paused clocks (e.g. pending_customer): elapsed open time, remaining time and due instants."""

from datetime import date, datetime, timedelta

from kefu.sla.calendars import DateException, parse_hours, shipped_calendar
from kefu.sla.clock import budget, due_at, open_time_between, remaining

YEARS = range(2025, 2028)
STANDARD = shipped_calendar("cn-standard", years=YEARS)
MONDAY_9 = datetime.fromisoformat("2026-11-09T09:00:00+08:00")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def nov(day: int, clock: str) -> datetime:
    return at(f"2026-11-{day:02d}T{clock}:00+08:00")


def test_elapsed_open_time_leaves_out_pauses() -> None:
    pauses = [(nov(9, "10:00"), nov(9, "11:00"))]
    assert open_time_between(STANDARD, MONDAY_9, nov(9, "12:00"), pauses=pauses) == timedelta(
        hours=2
    )


def test_overlapping_pauses_count_once() -> None:
    pauses = [(nov(9, "10:00"), nov(9, "11:00")), (nov(9, "10:30"), nov(9, "11:30"))]
    elapsed = open_time_between(STANDARD, MONDAY_9, nov(9, "12:00"), pauses=pauses)
    assert elapsed == timedelta(hours=1, minutes=30)


def test_pause_pushes_due_by_the_paused_open_time() -> None:
    pauses = [(nov(9, "10:00"), nov(9, "11:30"))]
    assert due_at(STANDARD, MONDAY_9, "3h", pauses=pauses) == nov(9, "13:30")


def test_remaining_during_a_pause() -> None:
    pauses = [(nov(9, "10:00"), nov(9, "11:30"))]
    assert remaining(STANDARD, MONDAY_9, "3h", nov(9, "11:00"), pauses=pauses) == timedelta(hours=2)


def test_still_paused_clock_has_no_due_instant() -> None:
    pauses = [(nov(9, "10:00"), None)]
    assert due_at(STANDARD, MONDAY_9, "3h", pauses=pauses) is None
    assert remaining(STANDARD, MONDAY_9, "3h", nov(9, "15:00"), pauses=pauses) == timedelta(hours=2)


def test_pause_outside_open_hours_changes_nothing() -> None:
    pauses = [(nov(9, "19:00"), nov(10, "08:00"))]
    assert due_at(STANDARD, MONDAY_9, "10h", pauses=pauses) == nov(10, "10:00")


def test_pause_covering_the_start_delays_the_clock() -> None:
    pauses = [(nov(9, "08:00"), nov(9, "10:00")), (nov(2, "10:00"), nov(2, "12:00"))]
    assert due_at(STANDARD, MONDAY_9, "3h", pauses=pauses) == nov(9, "13:00")


def test_breached_clock_has_negative_remaining() -> None:
    assert remaining(STANDARD, MONDAY_9, "3m", nov(9, "09:10")) == -timedelta(minutes=7)


def test_warning_share_of_an_hour_target() -> None:
    assert due_at(STANDARD, MONDAY_9, "24h", share=0.75) == nov(10, "18:00")
    assert due_at(STANDARD, MONDAY_9, "24h") == nov(11, "15:00")


def test_working_day_clock_extended_by_paused_working_time() -> None:
    pauses = [(nov(9, "14:00"), nov(9, "16:00"))]
    assert due_at(STANDARD, nov(9, "10:00"), "1d", pauses=pauses) == nov(10, "12:00")


def test_working_day_clock_paused_overnight_keeps_its_due() -> None:
    pauses = [(nov(9, "19:00"), nov(10, "08:00"))]
    assert due_at(STANDARD, nov(9, "10:00"), "1d", pauses=pauses) == nov(10, "10:00")


def test_warning_share_of_a_working_day_target() -> None:
    assert due_at(STANDARD, nov(9, "10:00"), "1d", share=0.75) == nov(9, "16:45")


def test_working_day_budget_of_a_short_due_day() -> None:
    calendar = shipped_calendar(
        "cn-standard",
        years=YEARS,
        exceptions=[DateException(date(2026, 11, 13), parse_hours("09:00-12:00"))],
    )
    assert budget(calendar, nov(12, "15:00"), "1d") == timedelta(hours=6)
    assert budget(calendar, nov(12, "15:00"), "90m") == timedelta(minutes=90)
