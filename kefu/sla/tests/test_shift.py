"""``is_on_shift``: an agent's shift calendar says whether they are at work."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kefu.sla.queries import is_on_shift

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.django_db
def test_shift_follows_the_agents_calendar(personas):
    alice = personas.alice.agent  # cn-standard by default
    assert is_on_shift(alice, datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI))
    assert not is_on_shift(alice, datetime(2026, 11, 23, 19, 0, tzinfo=SHANGHAI))
    assert not is_on_shift(alice, datetime(2026, 10, 2, 10, 0, tzinfo=SHANGHAI))  # National Day
    assert is_on_shift(alice, datetime(2026, 10, 10, 10, 0, tzinfo=SHANGHAI))  # make-up Saturday
    alice.shift_calendar = "us-standard"
    assert is_on_shift(alice, datetime(2026, 11, 23, 23, 0, tzinfo=SHANGHAI))  # 10:00 New York


@pytest.mark.django_db
def test_an_unknown_shift_calendar_means_off_shift(personas):
    alice = personas.alice.agent
    alice.shift_calendar = "moon-base"
    assert not is_on_shift(alice, datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI))
