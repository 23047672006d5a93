"""Working-day targets: same local time N working days on, from the next opening, clamped.
Starts in reduced hours (cn-chat) are in test_clock_working_days_from_reduced_hours.py."""

from datetime import date, datetime

import pytest

from kefu.sla.calendars import (
    CalendarSpec,
    CalendarTemplate,
    DateException,
    build_calendar,
    parse_hours,
    shipped_calendar,
)
from kefu.sla.clock import add_working_days, due_at

YEARS = range(2025, 2028)
STANDARD = shipped_calendar("cn-standard", years=YEARS)
LUNCH = build_calendar(
    CalendarTemplate(
        "cn-lunch",
        "China office with lunch break",
        "中国办公（含午休）",
        "Asia/Shanghai",
        (parse_hours("09:00-12:00, 13:30-18:00"),) * 5 + ((), ()),
        holiday_source="chinese_calendar",
    ),
    years=YEARS,
)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def with_exception(day: date, hours: str) -> CalendarSpec:
    return shipped_calendar(
        "cn-standard", years=YEARS, exceptions=[DateException(day, parse_hours(hours))]
    )


@pytest.mark.parametrize(
    ("start", "due"),
    [
        # After hours: counting starts at the next opening (Wed 30 Sept 09:00), then National Day.
        ("2026-09-29T19:00:00+08:00", "2026-10-08T09:00:00+08:00"),
        # Before opening on a working day: from that day's 09:00.
        ("2026-09-29T07:00:00+08:00", "2026-09-30T09:00:00+08:00"),
        # On an ordinary Saturday: from Monday 09:00.
        ("2026-11-07T12:00:00+08:00", "2026-11-10T09:00:00+08:00"),
        # Exactly at the close counts as after hours.
        ("2026-11-09T18:00:00+08:00", "2026-11-11T09:00:00+08:00"),
        # Seconds are kept.
        ("2026-11-09T10:15:30+08:00", "2026-11-10T10:15:30+08:00"),
    ],
)
def test_one_working_day_on_cn_standard(start: str, due: str) -> None:
    assert due_at(STANDARD, at(start), "1d") == at(due)


def test_due_day_that_closes_early_clamps_to_its_close() -> None:
    calendar = with_exception(date(2026, 11, 13), "09:00-12:00")
    due = add_working_days(calendar, at("2026-11-12T15:00:00+08:00"), 1)
    assert due == at("2026-11-13T12:00:00+08:00")


def test_due_day_that_opens_late_clamps_to_its_opening() -> None:
    calendar = with_exception(date(2026, 11, 13), "13:00-18:00")
    due = add_working_days(calendar, at("2026-11-12T10:00:00+08:00"), 1)
    assert due == at("2026-11-13T13:00:00+08:00")


def test_closed_exception_day_is_skipped() -> None:
    calendar = with_exception(date(2026, 11, 13), "")
    assert due_at(calendar, at("2026-11-12T15:00:00+08:00"), "1d") == at(
        "2026-11-16T15:00:00+08:00"
    )


def test_start_in_lunch_break_counts_from_afternoon_opening() -> None:
    assert due_at(LUNCH, at("2026-11-09T12:30:00+08:00"), "1d") == at("2026-11-10T13:30:00+08:00")


def test_due_time_may_fall_in_lunch_break_of_a_differently_shaped_day() -> None:
    # Start 11:00 Monday; Tuesday has the same shape, so 11:00 Tuesday (a morning instant).
    assert due_at(LUNCH, at("2026-11-09T11:00:00+08:00"), "3d") == at("2026-11-12T11:00:00+08:00")


def test_always_calendar_counts_calendar_days() -> None:
    always = shipped_calendar("always", years=YEARS)
    due = due_at(always, at("2026-10-01T08:00:00+08:00"), "2d")
    assert due == at("2026-10-03T00:00:00+00:00")
    assert due is not None and due.isoformat() == "2026-10-03T00:00:00+00:00"
