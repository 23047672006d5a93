"""Daylight-saving switches in America/New_York: opening hours are local wall-clock hours."""

from datetime import datetime, timedelta

import pytest

from kefu.sla.calendars import CalendarTemplate, build_calendar, parse_hours, shipped_calendar
from kefu.sla.clock import add_open_time, due_at, is_open, open_time_between

YEARS = range(2025, 2028)
US = shipped_calendar("us-standard", years=YEARS)
NY_ROUND_THE_CLOCK = build_calendar(
    CalendarTemplate("ny-24", "New York 24h", "纽约全天", "America/New_York", (((0, 1440),),) * 7),
    years=YEARS,
)
NY_SMALL_HOURS = build_calendar(
    CalendarTemplate(
        "ny-night",
        "New York 00:00-03:00",
        "纽约 00:00-03:00",
        "America/New_York",
        (parse_hours("00:00-03:00"),) * 7,
    ),
    years=YEARS,
)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("start", "target", "due"),
    [
        # Spring forward on Sunday 8 March 2026: EST before, EDT after.
        ("2026-03-06T17:00:00-05:00", "2h", "2026-03-09T10:00:00-04:00"),
        ("2026-03-06T10:00:00-05:00", "1d", "2026-03-09T10:00:00-04:00"),
        # Fall back on Sunday 1 November 2026.
        ("2026-10-30T15:00:00-04:00", "1d", "2026-11-02T15:00:00-05:00"),
        ("2026-10-30T17:30:00-04:00", "1h", "2026-11-02T09:30:00-05:00"),
    ],
)
def test_us_standard_across_dst_switch(start: str, target: str, due: str) -> None:
    assert due_at(US, at(start), target) == at(due)


def test_weekend_of_the_switch_adds_no_open_time() -> None:
    elapsed = open_time_between(
        US, at("2026-03-06T17:00:00-05:00"), at("2026-03-09T10:00:00-04:00")
    )
    assert elapsed == timedelta(hours=2)


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        ("2026-03-09T12:59:00+00:00", False),  # 08:59 EDT
        ("2026-03-09T13:00:00+00:00", True),  # 09:00 EDT
        ("2026-03-06T13:30:00+00:00", False),  # 08:30 EST
        ("2026-03-06T14:00:00+00:00", True),  # 09:00 EST
    ],
)
def test_opening_follows_local_clock(moment: str, open_: bool) -> None:
    assert is_open(US, at(moment)) is open_


def test_switch_days_are_23_and_25_hours_long() -> None:
    spring = open_time_between(
        NY_ROUND_THE_CLOCK, at("2026-03-08T00:00:00-05:00"), at("2026-03-09T00:00:00-04:00")
    )
    autumn = open_time_between(
        NY_ROUND_THE_CLOCK, at("2026-11-01T00:00:00-04:00"), at("2026-11-02T00:00:00-05:00")
    )
    assert (spring, autumn) == (timedelta(hours=23), timedelta(hours=25))


def test_24_open_hours_from_midnight_on_spring_forward_day() -> None:
    due = add_open_time(NY_ROUND_THE_CLOCK, at("2026-03-08T00:00:00-05:00"), timedelta(hours=24))
    assert due == at("2026-03-09T01:00:00-04:00")


def test_wall_clock_interval_over_the_switch_hour() -> None:
    # 00:00-03:00 local is two real hours when the clock skips 02:00-03:00, four when 01:00 repeats.
    spring = open_time_between(
        NY_SMALL_HOURS, at("2026-03-08T00:00:00-05:00"), at("2026-03-08T12:00:00-04:00")
    )
    autumn = open_time_between(
        NY_SMALL_HOURS, at("2026-11-01T00:00:00-04:00"), at("2026-11-01T12:00:00-05:00")
    )
    assert (spring, autumn) == (timedelta(hours=2), timedelta(hours=4))
