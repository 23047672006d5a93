from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kefu.sla.testing import FrozenClock

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def frozen(monkeypatch) -> FrozenClock:
    """Time stands at Wednesday 30 September 2026, 17:00 in Shanghai: the eve of the National
    Day holiday (1–7 October), with Saturday 10 October a make-up working day."""
    return FrozenClock(monkeypatch, datetime(2026, 9, 30, 17, 0, tzinfo=SHANGHAI))
