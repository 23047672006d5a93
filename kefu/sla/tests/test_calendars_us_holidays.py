"""US federal holidays (observed dates) on us-standard."""

from datetime import date, datetime

import pytest

from kefu.sla.calendars import shipped_calendar
from kefu.sla.clock import due_at, is_open

US = shipped_calendar("us-standard", years=range(2025, 2028))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_independence_day_observed_on_friday() -> None:
    # 4 July 2026 is a Saturday, so Friday 3 July is the observed holiday.
    assert date(2026, 7, 3) in US.closed_dates
    assert due_at(US, at("2026-07-02T17:00:00-04:00"), "1d") == at("2026-07-06T17:00:00-04:00")


def test_thanksgiving_is_closed() -> None:
    assert due_at(US, at("2026-11-25T17:30:00-05:00"), "1h") == at("2026-11-27T09:30:00-05:00")


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        ("2026-06-19T12:00:00-04:00", False),  # Juneteenth
        ("2026-01-19T12:00:00-05:00", False),  # Martin Luther King Jr. Day
        ("2026-12-24T12:00:00-05:00", True),  # Christmas Eve is not a federal holiday
        ("2026-12-25T12:00:00-05:00", False),
    ],
)
def test_federal_holidays(moment: str, open_: bool) -> None:
    assert is_open(US, at(moment)) is open_


def test_us_calendar_has_no_make_up_days_or_unknown_years() -> None:
    assert US.makeup_dates == frozenset()
    assert US.unknown_years == frozenset()
