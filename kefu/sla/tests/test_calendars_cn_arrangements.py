"""The 2026 Spring Festival and National Day arrangements, and all CN special days 2024-2026."""

import csv
from datetime import date, datetime
from pathlib import Path

import pytest

from kefu.sla.calendars import shipped_calendar
from kefu.sla.clock import due_at, is_open

STANDARD = shipped_calendar("cn-standard", years=range(2024, 2028))
CHAT = shipped_calendar("cn-chat", years=range(2024, 2028))
SPECIAL_DAYS = (
    Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "calendar"
) / "cn_2024_2026_special_days.csv"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("start", "target", "due"),
    [
        # Spring Festival 2026: Sat 14 Feb works, 15-23 Feb closed, Sat 28 Feb works.
        ("2026-02-13T17:00:00+08:00", "1d", "2026-02-14T17:00:00+08:00"),
        ("2026-02-14T17:30:00+08:00", "1h", "2026-02-24T09:30:00+08:00"),
        ("2026-02-14T10:00:00+08:00", "5d", "2026-02-28T10:00:00+08:00"),
        # Mid-autumn (Fri 25 Sept) then the weekend; National Day 1-7 Oct; Sat 10 Oct works.
        ("2026-09-24T17:00:00+08:00", "2h", "2026-09-28T10:00:00+08:00"),
        ("2026-09-30T10:00:00+08:00", "24h", "2026-10-09T16:00:00+08:00"),
        ("2026-10-09T10:00:00+08:00", "1d", "2026-10-10T10:00:00+08:00"),
        ("2026-09-30T17:00:00+08:00", "5d", "2026-10-13T17:00:00+08:00"),
    ],
)
def test_cn_standard_through_2026_holidays(start: str, target: str, due: str) -> None:
    assert due_at(STANDARD, at(start), target) == at(due)


def test_chat_desk_runs_reduced_hours_through_spring_festival() -> None:
    # Two minutes before the 16:00 close, then one minute after the next day's 10:00 opening.
    due = due_at(CHAT, at("2026-02-17T15:58:00+08:00"), "3m")
    assert due == at("2026-02-18T10:01:00+08:00")


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        ("2026-10-05T12:00:00+08:00", True),  # holiday, reduced hours
        ("2026-10-05T09:30:00+08:00", False),  # holiday, before 10:00
        ("2026-10-10T09:30:00+08:00", True),  # make-up Saturday opens with weekday hours
        ("2026-10-10T17:00:00+08:00", True),
        ("2026-10-11T17:00:00+08:00", False),  # ordinary Sunday closes at 16:00
    ],
)
def test_chat_desk_hours_around_national_day(moment: str, open_: bool) -> None:
    assert is_open(CHAT, at(moment)) is open_


def test_arrangements_match_published_special_days() -> None:
    if not SPECIAL_DAYS.exists():
        pytest.skip(f"shared calendar data not found at {SPECIAL_DAYS}")
    with SPECIAL_DAYS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    working = {date.fromisoformat(r["date"]): r["is_workday"] == "True" for r in rows}
    assert {d: STANDARD.day(d).working for d in working} == working
    in_range = {d for d in STANDARD.closed_dates | STANDARD.makeup_dates if d.year <= 2026}
    assert in_range == set(working)
    assert {d for d in STANDARD.makeup_dates if d.year <= 2026} == {
        d for d, works in working.items() if works
    }
