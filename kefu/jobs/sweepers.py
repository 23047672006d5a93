"""Timers as data: each sweeper handles the rows whose due-at column has passed.

A sweeper claims rows with conditional UPDATEs (``… WHERE id = %s AND state = 'pending'``), so any
number of worker processes may run the same sweeper and each due row is handled exactly once.
Apps register their sweepers in ``AppConfig.ready``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Sweeper:
    name: str
    # Handle everything due at ``now``; return how many rows were handled.
    run: Callable[[datetime], int]
    # The earliest pending due instant (one indexed query), or None when nothing is pending.
    next_due: Callable[[], datetime | None]
    # Longest sleep: rows may become due earlier because another process wrote them.
    max_sleep: float = 1.0
    # Set by this process when it wrote rows that are due at once: the sleep ends early.
    wake: threading.Event | None = None


REGISTRY: dict[str, Sweeper] = {}


def register(sweeper: Sweeper) -> Sweeper:
    REGISTRY[sweeper.name] = sweeper
    return sweeper
