"""Test helpers for time-dependent SLA and escalation behaviour (used by tests only)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone


class FrozenClock:
    """Replaces ``django.utils.timezone.now`` with a settable instant: actions and events then
    happen at chosen business times without sleeping."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, start: datetime) -> None:
        self.now = start
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, moment: datetime) -> datetime:
        self.now = moment
        return moment

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now
