"""The four worked examples from issue 5, through the function the CLI prints with."""

import pytest

from kefu.sla.calendars import shipped_calendar
from kefu.sla.clock import due_iso

YEARS = range(2025, 2028)


@pytest.mark.parametrize(
    ("code", "start", "target", "due"),
    [
        # 1-7 October are holidays, so the next working day after 30 September is 8 October.
        ("cn-standard", "2026-09-30T17:00:00+08:00", "1d", "2026-10-08T17:00:00+08:00"),
        # The chat desk serves 10:00-16:00 on holidays.
        ("cn-chat", "2026-10-03T11:00:00+08:00", "3m", "2026-10-03T11:03:00+08:00"),
        # Saturday 10 October is a make-up working day (调休) with weekday hours.
        ("cn-standard", "2026-10-10T08:58:00+08:00", "3m", "2026-10-10T09:03:00+08:00"),
        # Friday 15:00-18:00 is 3 h; Sunday 20 September is a make-up working day: 09:00 + 6 h.
        ("cn-standard", "2026-09-18T15:00:00+08:00", "9h", "2026-09-20T15:00:00+08:00"),
    ],
)
def test_worked_example(code: str, start: str, target: str, due: str) -> None:
    assert due_iso(shipped_calendar(code, years=YEARS), start, target) == due
