"""Years chinese_calendar does not know yet: weekends plus admin dates, and a warning."""

from datetime import date, datetime

from kefu.sla.calendars import coverage_warnings, shipped_calendar, union
from kefu.sla.clock import due_at, is_open

YEARS = (2026, 2027)
FALLBACK = shipped_calendar("cn-standard", years=YEARS)
ARRANGED = shipped_calendar(
    "cn-standard",
    years=YEARS,
    extra_closed_dates=[date(2027, 1, 1)],
    extra_makeup_dates=[date(2027, 2, 6)],
    arranged_years=[2027],
)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_unknown_year_is_reported_in_both_languages() -> None:
    assert FALLBACK.covered_years == {2026}
    assert FALLBACK.unknown_years == {2027}
    (warning,) = coverage_warnings(FALLBACK)
    assert "2027" in warning.en and "cn-standard" in warning.en
    assert "2027 年" in warning.zh and "调休" in warning.zh


def test_unknown_year_falls_back_to_weekends() -> None:
    # New Year's Day 2027 is a Friday; without an arrangement it is an ordinary working day.
    assert is_open(FALLBACK, at("2027-01-01T10:00:00+08:00"))
    assert not is_open(FALLBACK, at("2027-01-02T10:00:00+08:00"))
    assert due_at(FALLBACK, at("2026-12-31T17:00:00+08:00"), "1d") == at(
        "2027-01-01T17:00:00+08:00"
    )


def test_admin_entered_arrangement_applies_and_silences_the_warning() -> None:
    assert coverage_warnings(ARRANGED) == []
    assert due_at(ARRANGED, at("2026-12-31T17:00:00+08:00"), "1d") == at(
        "2027-01-04T17:00:00+08:00"
    )
    assert is_open(ARRANGED, at("2027-02-06T10:00:00+08:00"))  # a make-up Saturday


def test_known_years_and_calendars_without_holidays_give_no_warning() -> None:
    assert coverage_warnings(shipped_calendar("cn-standard", years=[2025, 2026])) == []
    assert coverage_warnings(shipped_calendar("always", years=YEARS)) == []
    assert coverage_warnings(shipped_calendar("us-standard", years=YEARS)) == []


def test_union_reports_its_members_warnings() -> None:
    us = shipped_calendar("us-standard", years=YEARS)
    assert len(coverage_warnings(union(us, FALLBACK))) == 1
