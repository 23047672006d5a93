"""is_open, next_open and elapsed open time."""

from datetime import datetime, timedelta

import pytest

from kefu.sla.calendars import BilingualError, CalendarSpec, shipped_calendar
from kefu.sla.clock import due_at, is_open, next_open, open_time_between

YEARS = range(2025, 2028)
STANDARD = shipped_calendar("cn-standard", years=YEARS)
CHAT = shipped_calendar("cn-chat", years=YEARS)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        ("2026-11-09T09:00:00+08:00", True),
        ("2026-11-09T17:59:59+08:00", True),
        ("2026-11-09T18:00:00+08:00", False),
        ("2026-11-09T08:59:59+08:00", False),
        ("2026-11-09T01:30:00+00:00", True),  # 09:30 in Shanghai
    ],
)
def test_is_open_at_the_edges(moment: str, open_: bool) -> None:
    assert is_open(STANDARD, at(moment)) is open_


@pytest.mark.parametrize(
    ("moment", "opening"),
    [
        ("2026-11-09T10:00:00+08:00", "2026-11-09T10:00:00+08:00"),
        ("2026-11-13T18:00:00+08:00", "2026-11-16T09:00:00+08:00"),
        ("2026-10-01T12:00:00+08:00", "2026-10-08T09:00:00+08:00"),
        ("2026-10-01T04:00:00+00:00", "2026-10-08T09:00:00+08:00"),
    ],
)
def test_next_open(moment: str, opening: str) -> None:
    found = next_open(STANDARD, at(moment))
    assert found == at(opening) and found.isoformat() == opening


def test_open_time_over_the_national_day_fortnight() -> None:
    start, end = at("2026-09-28T00:00:00+08:00"), at("2026-10-12T00:00:00+08:00")
    # 28-30 Sept, 8-9 Oct and the make-up Saturday 10 Oct: six days of 9 h.
    assert open_time_between(STANDARD, start, end) == timedelta(hours=54)
    # Chat adds 6 h on each of 1-7 Oct and on Sunday 11 Oct, but not to working time.
    assert open_time_between(CHAT, start, end) == timedelta(hours=102)
    assert open_time_between(CHAT, start, end, working_only=True) == timedelta(hours=54)
    assert open_time_between(STANDARD, end, start) == timedelta(0)


def test_calendar_that_never_opens_is_an_error() -> None:
    never = CalendarSpec("never", "UTC", ((),) * 7)
    with pytest.raises(BilingualError, match="no open time"):
        due_at(never, at("2026-11-09T09:00:00+00:00"), "3m")
    with pytest.raises(BilingualError, match="no open time"):
        due_at(never, at("2026-11-09T09:00:00+00:00"), "1d")
