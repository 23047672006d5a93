"""Admin-entered date exceptions override weekly hours, holidays and make-up days."""

from datetime import date, datetime

import pytest

from kefu.sla.calendars import (
    BilingualError,
    CalendarSpec,
    DateException,
    parse_hours,
    shipped_calendar,
)
from kefu.sla.clock import due_at, is_open

YEARS = range(2025, 2028)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def calendar(code: str, *exceptions: DateException) -> CalendarSpec:
    return shipped_calendar(code, years=YEARS, exceptions=exceptions)


def test_closed_exception_on_a_weekday() -> None:
    closed = calendar("cn-standard", DateException(date(2026, 11, 13)))
    assert due_at(closed, at("2026-11-12T17:30:00+08:00"), "1h") == at("2026-11-16T09:30:00+08:00")


def test_exception_opens_a_statutory_holiday_as_a_working_day() -> None:
    opened = calendar("cn-standard", DateException(date(2026, 10, 5), parse_hours("09:00-12:00")))
    assert is_open(opened, at("2026-10-05T10:00:00+08:00"))
    # The first working day after 30 Sept is now 5 Oct, which closes at 12:00.
    assert due_at(opened, at("2026-09-30T17:00:00+08:00"), "1d") == at("2026-10-05T12:00:00+08:00")


def test_exception_closes_a_make_up_day() -> None:
    closed = calendar("cn-standard", DateException(date(2026, 10, 10)))
    assert due_at(closed, at("2026-10-09T17:00:00+08:00"), "2h") == at("2026-10-12T10:00:00+08:00")
    assert due_at(closed, at("2026-10-09T10:00:00+08:00"), "1d") == at("2026-10-12T10:00:00+08:00")


def test_reduced_service_exception_is_not_a_working_day() -> None:
    reduced = calendar(
        "cn-standard", DateException(date(2026, 11, 13), parse_hours("10:00-12:00"), working=False)
    )
    assert due_at(reduced, at("2026-11-12T17:30:00+08:00"), "1h") == at("2026-11-13T10:30:00+08:00")
    assert due_at(reduced, at("2026-11-12T15:00:00+08:00"), "1d") == at("2026-11-16T15:00:00+08:00")


def test_exception_closes_the_chat_desk_on_a_holiday() -> None:
    chat = calendar("cn-chat", DateException(date(2026, 10, 5)))
    assert due_at(chat, at("2026-10-04T15:59:00+08:00"), "3m") == at("2026-10-06T10:02:00+08:00")


def test_two_exceptions_for_one_date_are_refused() -> None:
    with pytest.raises(BilingualError) as error:
        calendar(
            "cn-standard", DateException(date(2026, 11, 13)), DateException(date(2026, 11, 13))
        )
    assert "同一日期" in error.value.zh


def test_admin_make_up_day_wins_over_a_statutory_closure() -> None:
    spec = shipped_calendar("cn-standard", years=YEARS, extra_makeup_dates=[date(2026, 10, 7)])
    assert spec.day(date(2026, 10, 7)).working
    assert spec.day(date(2026, 10, 7)).hours == parse_hours("09:00-18:00")
