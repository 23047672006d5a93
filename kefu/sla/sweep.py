"""The SLA timer run by ``kefu worker``: each clock's warning and breach fire once, on time.

One indexed query finds what is due (each half reads one partial index, in due order). Due clocks
are then claimed in chunks, one transaction each: their tickets and then the tickets' clocks are
locked in id order with SKIP LOCKED (rows another worker or a ticket change holds are left for the
next sweep, so a sweeper never waits for a ticket while holding a clock), claimed
with a conditional UPDATE (``… WHERE id IN (…) AND state = 'running' AND breached_at IS NULL``),
and each claim is recorded as an ``sla_warning``/``sla_breach`` event (escalation follows that
event) before the one commit. Any number of workers may run this and each claim is won once;
workers shuffle their batch so that they mostly take different clocks.
"""

from __future__ import annotations

import logging
import random
from datetime import UTC, datetime

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kefu.accounts.access import SYSTEM
from kefu.jobs.sweepers import Sweeper
from kefu.sla.actions import claim, lock_due_clocks
from kefu.sla.models import SlaClock
from kefu.tickets.actions import record_event
from kefu.tickets.models import EventKind, Ticket
from kefu.tickets.work import unit_of_work

log = logging.getLogger("kefu.sla")
BATCH = 200  # due clocks read per kind and wake-up
CHUNK = 25  # clocks claimed and recorded per transaction: one commit for many breaches
WARN, BREACH = EventKind.SLA_WARNING, EventKind.SLA_BREACH
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


def fire(clock_ids: list[int], kind: EventKind) -> int:
    """Claim the warnings or breaches of a chunk of clocks in one transaction and record each;
    returns how many this worker won (not yet due, or taken by another worker: not counted)."""
    with unit_of_work():
        now = timezone.now()
        won = claim(kind, sorted(lock_due_clocks(clock_ids)), now)
        clocks = SlaClock.objects.filter(pk__in=won).select_related(*TICKET_RELATIONS)
        tickets: dict[int, Ticket] = {}
        for clock in clocks.order_by("ticket_id", "pk"):  # the order the tickets were locked in
            # Clocks of one ticket share one instance: an escalation of the first must not be
            # undone by saving a stale copy for the second.
            clock.ticket = tickets.setdefault(clock.ticket_id, clock.ticket)
            _record(clock, kind, now)
    return len(won)


def _record(clock: SlaClock, kind: EventKind, now: datetime) -> None:
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


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _fire_all(clock_ids: list[int], kind: EventKind) -> int:
    fired = 0
    for start in range(0, len(clock_ids), CHUNK):
        chunk = clock_ids[start : start + CHUNK]
        try:
            fired += fire(chunk, kind)
        except Exception:
            # One bad clock must not hold back the others: retry them one by one.
            log.exception("%s of clocks %s failed; retrying them one by one", kind, chunk)
            fired += sum(_fire_alone(pk, kind) for pk in chunk)
    return fired


def _fire_alone(clock_id: int, kind: EventKind) -> int:
    try:
        return fire([clock_id], kind)
    except Exception:
        log.exception("%s of clock %s failed; it stays due for the next sweep", kind, clock_id)
        return 0


def sweep(now: datetime) -> int:
    warnings, breaches = find_due(now)
    random.shuffle(warnings)
    random.shuffle(breaches)
    # Breaches first: they are the promise; warnings only help keep it.
    return _fire_all(breaches, BREACH) + _fire_all(warnings, WARN)


SWEEPER = Sweeper(name="sla-clocks", run=sweep, next_due=next_due, max_sleep=1.0)
