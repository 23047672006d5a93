"""Ticket numbers: ``KF`` + the date in Asia/Shanghai + a daily sequence of 3 or more digits.

Unique under concurrency, gap-tolerant, and — on PostgreSQL — free of any lock held until commit:

* PostgreSQL: one global sequence (``nextval`` never blocks and is never rolled back) and, per day,
  the sequence value just before the day's first ticket (``TicketCounter.value``). A ticket's daily
  number is ``nextval - base``. A number lost to a rollback is a harmless gap.
* SQLite serialises writers anyway (``BEGIN IMMEDIATE``), so a plain per-day counter
  (``TicketCounter.value`` is the last number given) costs nothing more.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from kefu.tickets.models import TicketCounter

SEQUENCE = "tickets_number_seq"
_TABLE = TicketCounter._meta.db_table
_COUNTER_UPSERT = (
    f"INSERT INTO {_TABLE} (day, value) VALUES (%s, 1) "
    f"ON CONFLICT (day) DO UPDATE SET value = {_TABLE}.value + 1 RETURNING value"
)
# Per-process cache of committed day bases (PostgreSQL).
_day_bases: dict[date, int] = {}


def format_number(day: date, sequence: int) -> str:
    return f"KF{day:%Y%m%d}{sequence:03d}"


def next_ticket_number(now: datetime | None = None) -> str:
    day = (now or timezone.now()).astimezone(ZoneInfo(settings.KEFU_TICKET_TZ)).date()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sequence = _next_from_sequence(cursor, day)
        else:
            cursor.execute(_COUNTER_UPSERT, [day])
            (sequence,) = cursor.fetchone()
    return format_number(day, sequence)


def _next_from_sequence(cursor, day: date) -> int:  # type: ignore[no-untyped-def]
    cursor.execute(f"SELECT nextval('{SEQUENCE}')")
    (value,) = cursor.fetchone()
    base = _day_bases.get(day)
    if base is None:
        # The first ticket of the day (in this process) records or reads the day's base.
        cursor.execute(
            f"INSERT INTO {_TABLE} (day, value) VALUES (%s, %s) ON CONFLICT (day) DO NOTHING",
            [day, value - 1],
        )
        cursor.execute(f"SELECT value FROM {_TABLE} WHERE day = %s", [day])
        (base,) = cursor.fetchone()
        # Cache only what is committed: a rolled-back base must not outlive its transaction.
        transaction.on_commit(partial(_day_bases.__setitem__, day, base))
    while value <= base:  # taken just before another process set the day's base
        cursor.execute(f"SELECT nextval('{SEQUENCE}')")
        (value,) = cursor.fetchone()
    return value - base
