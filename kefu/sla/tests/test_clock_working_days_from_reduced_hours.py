"""A working-day target started while a calendar serves reduced hours (cn-chat on holidays and
weekends) counts from the start itself: issue 5's rule moves the start to the next opening only
when the clock starts outside hours, and 10:00-16:00 on National Day is inside cn-chat's hours.
The working days counted are checked against ``chinese_calendar`` and the shared 2024-2026 list."""

import csv
from datetime import date, datetime, timedelta
from pathlib import Path

import chinese_calendar
import pytest

from kefu.sla.calendars import shipped_calendar
from kefu.sla.clock import budget, due_at

YEARS = range(2025, 2028)
CHAT = shipped_calendar("cn-chat", years=YEARS)
STANDARD = shipped_calendar("cn-standard", years=YEARS)
SPECIAL_DAYS = (
    Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "calendar"
) / "cn_2024_2026_special_days.csv"
NATIONAL_DAY_START = datetime.fromisoformat("2026-10-06T12:26:00+08:00")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_seven_working_days_from_national_day_chat_hours() -> None:
    # Working days after Tue 6 Oct: 8, 9, 10 (make-up Saturday), 12, 13, 14, 15 October.
    assert due_at(CHAT, NATIONAL_DAY_START, "7d") == at("2026-10-15T12:26:00+08:00")


def test_the_same_start_on_a_closed_calendar_counts_from_the_next_opening() -> None:
    # cn-standard is closed on 6 October: counting starts at Thu 8 Oct 09:00.
    assert due_at(STANDARD, NATIONAL_DAY_START, "7d") == at("2026-10-16T09:00:00+08:00")


@pytest.mark.parametrize(
    ("start", "target", "due"),
    [
        # Ordinary Saturday 11:00 in chat hours: Monday 11:00.
        ("2026-11-07T11:00:00+08:00", "1d", "2026-11-09T11:00:00+08:00"),
        # Saturday 17:00, after the reduced close: from Sunday 10:00, so Monday 10:00.
        ("2026-11-07T17:00:00+08:00", "1d", "2026-11-09T10:00:00+08:00"),
        # Sunday after 16:00: the next opening is Monday 09:00, so Tuesday 09:00.
        ("2026-11-08T16:30:00+08:00", "1d", "2026-11-10T09:00:00+08:00"),
        # Started on a working day: unchanged.
        ("2026-09-30T17:00:00+08:00", "1d", "2026-10-08T17:00:00+08:00"),
    ],
)
def test_chat_working_day_targets_around_reduced_days(start: str, target: str, due: str) -> None:
    assert due_at(CHAT, at(start), target) == at(due)


def test_every_start_in_a_holiday_run_is_due_on_the_same_working_day_at_its_own_time() -> None:
    # 1-7 October: the 7th working day after any of them is 15 October (8 October is the first).
    for day in range(1, 8):
        for hour, minute in ((10, 0), (12, 26), (15, 59)):
            start = datetime(2026, 10, day, hour, minute, tzinfo=NATIONAL_DAY_START.tzinfo)
            due = datetime(2026, 10, 15, hour, minute, tzinfo=NATIONAL_DAY_START.tzinfo)
            assert due_at(CHAT, start, "7d") == due


def test_budget_is_the_working_time_up_to_the_due_instant() -> None:
    # 8 Oct to 15 Oct 12:26: six whole working days of 9 h, and 3 h 26 min on the 15th.
    assert budget(CHAT, NATIONAL_DAY_START, "7d") == timedelta(hours=6 * 9 + 3, minutes=26)


def _working_days_between(first: date, last: date, is_workday) -> int:
    return sum(is_workday(first + timedelta(days=n)) for n in range(1, (last - first).days + 1))


def test_the_due_day_is_the_seventh_working_day_by_chinese_calendar() -> None:
    due = due_at(CHAT, NATIONAL_DAY_START, "7d")
    assert due is not None
    assert _working_days_between(date(2026, 10, 6), due.date(), chinese_calendar.is_workday) == 7


def test_the_due_day_is_the_seventh_working_day_by_the_shared_list() -> None:
    if not SPECIAL_DAYS.exists():
        pytest.skip(f"{SPECIAL_DAYS} is absent (the shared data sits beside the checkout)")
    with SPECIAL_DAYS.open(encoding="utf-8") as handle:
        special = {
            date.fromisoformat(r["date"]): r["is_workday"] == "True" for r in csv.DictReader(handle)
        }

    def is_workday(day: date) -> bool:
        return special.get(day, day.weekday() < 5)

    due = due_at(CHAT, NATIONAL_DAY_START, "7d")
    assert due is not None
    assert _working_days_between(date(2026, 10, 6), due.date(), is_workday) == 7
