"""Keep SQLite's planner statistics fresh for the queue's score-order index.

SQLite gathers no statistics by itself. Without them its planner filters the queue by the team
and assignee indexes and sorts every matching ticket (about 300 ms for a page of 100k open
tickets of one team); with them it walks ``triage_ticket_score_order`` and stops after a page
(about 4 ms) — ``bench/triage.py --queue 100000``. ``ANALYZE`` of the tickets table takes about
0.3 s at that size, so the worker runs it every few hours. PostgreSQL keeps its own statistics
(autovacuum): nothing to do there.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection

from kefu.jobs.sweepers import Sweeper

INTERVAL = timedelta(hours=6)
_next: dict[str, datetime | None] = {"at": None}


def analyze_tickets(now: datetime) -> int:
    if connection.vendor != "sqlite" or (_next["at"] is not None and now < _next["at"]):
        return 0
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tickets_ticket")
    _next["at"] = now + INTERVAL
    return 0  # nothing "handled" that could be due again at once: the worker sleeps


def next_due() -> datetime | None:
    return _next["at"]


SWEEPER = Sweeper(name="triage-statistics", run=analyze_tickets, next_due=next_due, max_sleep=3600)
