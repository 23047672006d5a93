from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kefu.sla.testing import FrozenClock

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def frozen(monkeypatch) -> FrozenClock:
    """Time stands at Monday 23 November 2026, 10:00 in Shanghai, until the test moves it."""
    return FrozenClock(monkeypatch, datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI))


def resolve(personas, ticket=None, **fields):  # type: ignore[no-untyped-def]
    """Anna's ticket, assigned to Alice (team orders, led by Lena), resolved by Alice."""
    from kefu.testing import assigned_ticket
    from kefu.tickets import actions

    ticket = ticket or assigned_ticket(personas, **fields)
    actions.change_status(ticket=ticket, actor=personas.viewer(personas.alice), status="resolved")
    ticket.refresh_from_db()
    return ticket
