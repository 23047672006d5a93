"""Minute and hour targets count open time only."""

from datetime import datetime, timedelta

import pytest

from kefu.sla.calendars import CalendarTemplate, build_calendar, parse_hours, shipped_calendar
from kefu.sla.clock import add_open_time, due_at, due_iso

YEARS = range(2025, 2028)
STANDARD = shipped_calendar("cn-standard", years=YEARS)
CHAT = shipped_calendar("cn-chat", years=YEARS)
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


@pytest.mark.parametrize(
    ("calendar", "start", "target", "due"),
    [
        (LUNCH, "2026-11-09T11:50:00+08:00", "20m", "2026-11-09T13:40:00+08:00"),
        (LUNCH, "2026-11-09T12:10:00+08:00", "3m", "2026-11-09T13:33:00+08:00"),
        (LUNCH, "2026-11-09T09:00:00+08:00", "8h", "2026-11-10T09:30:00+08:00"),
        (STANDARD, "2026-11-13T17:00:00+08:00", "90m", "2026-11-16T09:30:00+08:00"),
        (STANDARD, "2026-11-13T17:00:00+08:00", "1h30m", "2026-11-16T09:30:00+08:00"),
        (STANDARD, "2026-11-09T18:00:00+08:00", "3m", "2026-11-10T09:03:00+08:00"),
        # Using up the last open minute ends at the close, not at the next opening.
        (STANDARD, "2026-11-09T17:00:00+08:00", "60m", "2026-11-09T18:00:00+08:00"),
        # Chat: the weekday close, then Saturday's reduced hours.
        (CHAT, "2026-11-06T17:59:00+08:00", "3m", "2026-11-07T10:02:00+08:00"),
        (CHAT, "2026-11-07T15:58:00+08:00", "3m", "2026-11-08T10:01:00+08:00"),
    ],
)
def test_open_time_target(calendar: object, start: str, target: str, due: str) -> None:
    assert due_at(calendar, at(start), target) == at(due)  # type: ignore[arg-type]


def test_start_in_another_zone_gives_due_in_calendar_zone() -> None:
    assert due_iso(STANDARD, "2026-11-09T01:00:00+00:00", "3m") == "2026-11-09T09:03:00+08:00"


def test_always_open_crosses_midnight() -> None:
    always = shipped_calendar("always", years=YEARS)
    due = add_open_time(always, at("2026-10-01T23:59:00+00:00"), timedelta(minutes=3))
    assert due == at("2026-10-02T00:02:00+00:00")


def test_sub_minute_precision_is_kept() -> None:
    due = add_open_time(STANDARD, at("2026-11-09T17:59:59.250000+08:00"), timedelta(seconds=1))
    assert due == at("2026-11-10T09:00:00.250000+08:00")


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        due_at(STANDARD, datetime(2026, 11, 9, 9, 0), "3m")
