"""Follow-the-sun: a union of calendars is open when any member is."""

from datetime import datetime, timedelta

from kefu.sla.calendars import (
    CalendarTemplate,
    build_calendar,
    parse_hours,
    shipped_calendar,
    union,
)
from kefu.sla.clock import due_at, is_open, next_open, open_time_between

YEARS = range(2025, 2028)
CN = shipped_calendar("cn-standard", years=YEARS)
UK = build_calendar(
    CalendarTemplate(
        "uk-standard",
        "UK working days 09:00-18:00 (London)",
        "英国工作日 09:00-18:00（伦敦时间）",
        "Europe/London",
        (parse_hours("09:00-18:00"),) * 5 + ((), ()),
        holiday_source="holidays:GB:ENG",
    ),
    years=YEARS,
)
SHIFTS = union(CN, UK)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_union_code_zone_and_flattening() -> None:
    assert SHIFTS.code == "cn-standard+uk-standard"
    assert SHIFTS.zone == "Asia/Shanghai"
    assert union(CN) is CN
    assert union(SHIFTS, CN, UK) == SHIFTS


def test_open_time_continues_on_the_london_shift() -> None:
    # London (GMT in November) opens at 17:00 Beijing time and closes at 02:00.
    assert due_at(SHIFTS, at("2026-11-09T17:30:00+08:00"), "3h") == at("2026-11-09T20:30:00+08:00")
    assert due_at(SHIFTS, at("2026-11-10T01:30:00+08:00"), "1h") == at("2026-11-10T09:30:00+08:00")


def test_overlapping_shifts_are_counted_once() -> None:
    elapsed = open_time_between(
        SHIFTS, at("2026-11-09T09:00:00+08:00"), at("2026-11-10T02:00:00+08:00")
    )
    assert elapsed == timedelta(hours=17)


def test_london_serves_during_chinese_national_day() -> None:
    # 5 October: a Chinese holiday; London is on BST and opens at 16:00 Beijing time.
    assert is_open(SHIFTS, at("2026-10-05T16:30:00+08:00"))
    assert not is_open(CN, at("2026-10-05T16:30:00+08:00"))
    assert due_at(SHIFTS, at("2026-10-05T10:00:00+08:00"), "3m") == at("2026-10-05T16:03:00+08:00")


def test_next_open_is_the_earliest_member_opening() -> None:
    assert next_open(SHIFTS, at("2026-11-09T03:00:00+08:00")) == at("2026-11-09T09:00:00+08:00")


def test_working_days_come_from_the_primary_calendar() -> None:
    assert due_at(SHIFTS, at("2026-09-30T17:00:00+08:00"), "1d") == at("2026-10-08T17:00:00+08:00")
