"""The SLA timer run by ``kefu worker``: each clock's warning and breach fire once, on time.

One indexed query finds what is due (each half reads one partial index, in due order); each clock
is then claimed with a conditional UPDATE in its own transaction, which also records the
``sla_warning``/``sla_breach`` event (escalation follows that event). Any number of workers may
run this: a claim that another worker won updates nothing and is skipped. Workers shuffle their
batch so that two of them rarely queue behind each other's row locks.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kefu.accounts.access import SYSTEM
from kefu.jobs.sweepers import Sweeper
from kefu.sla.actions import claim_breach, claim_warning, lock_clocks_of_ticket_of
from kefu.sla.models import SlaClock
from kefu.tickets.actions import record_event

BATCH = 200
WARN, BREACH = "sla_warning", "sla_breach"
# What escalation reads of the ticket, loaded with the clock.
TICKET_RELATIONS = ("ticket__team__lead__user", "ticket__assignee__user", "ticket__category")

_TABLE = SlaClock._meta.db_table
# Each half matches its partial index's predicate exactly, so it is an ordered index range scan.
FIND_DUE_SQL = f"""
SELECT id, 'w' FROM (
  SELECT id FROM {_TABLE} WHERE state = 'running' AND warned_at IS NULL AND warn_at <= %s
  AND due_at > %s ORDER BY warn_at LIMIT {BATCH}) AS w
UNION ALL
SELECT id, 'b' FROM (
  SELECT id FROM {_TABLE} WHERE state = 'running' AND breached_at IS NULL AND due_at <= %s
  ORDER BY due_at LIMIT {BATCH}) AS b
"""  # no user input in either statement
NEXT_DUE_SQL = f"""
SELECT (SELECT MIN(warn_at) FROM {_TABLE} WHERE state = 'running' AND warned_at IS NULL),
       (SELECT MIN(due_at) FROM {_TABLE} WHERE state = 'running' AND breached_at IS NULL)
"""


def _as_datetime(value: object) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    parsed = parse_datetime(str(value))  # SQLite returns text for computed columns
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def find_due(now: datetime) -> tuple[list[int], list[int]]:
    """Clocks whose warning, and clocks whose breach, is due at ``now`` (oldest first). A clock
    already past its breach gets no warning any more: the breach says more."""
    moment = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(FIND_DUE_SQL, [moment, moment, moment])
        rows = cursor.fetchall()
    return [pk for pk, kind in rows if kind == "w"], [pk for pk, kind in rows if kind == "b"]


def next_due() -> datetime | None:
    with connection.cursor() as cursor:
        cursor.execute(NEXT_DUE_SQL)
        instants = [_as_datetime(v) for v in cursor.fetchone()]
    known = [i for i in instants if i is not None]
    return min(known) if known else None


def fire(clock_id: int, kind: str) -> bool:
    """Claim one clock's warning or breach and record it; False if it is not (or no longer) due."""
    with transaction.atomic():
        lock_clocks_of_ticket_of(clock_id)
        now = timezone.now()
        claimed = (claim_warning if kind == WARN else claim_breach)(clock_id, now)
        if not claimed:
            return False
        clock = SlaClock.objects.select_related(*TICKET_RELATIONS).get(pk=clock_id)
        assert clock.due_at is not None
        record_event(
            clock.ticket,
            SYSTEM,
            kind,
            new=clock.metric,
            data={"clock": clock.pk, "metric": clock.metric, "target": clock.target,
                  "due_at": clock.due_at.isoformat(), "warn_at": _iso(clock.warn_at)},
            at=now,
        )  # fmt: skip
    return True


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def sweep(now: datetime) -> int:
    warnings, breaches = find_due(now)
    random.shuffle(warnings)
    random.shuffle(breaches)
    fired = sum(fire(pk, BREACH) for pk in breaches)  # breaches first: they are the promise
    return fired + sum(fire(pk, WARN) for pk in warnings)


SWEEPER = Sweeper(name="sla-clocks", run=sweep, next_due=next_due, max_sleep=1.0)
