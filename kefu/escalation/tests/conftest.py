from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kefu.sla.testing import FrozenClock

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def frozen(monkeypatch) -> FrozenClock:
    """Time stands at Monday 23 November 2026, 10:00 in Shanghai, until the test moves it."""
    return FrozenClock(monkeypatch, datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI))
