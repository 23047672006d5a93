"""Ticket numbers: ``KF`` + the date in Asia/Shanghai + a daily sequence of 3 or more digits.

One upsert both creates the day's counter and increments it, atomically, on SQLite and
PostgreSQL alike. The row stays locked until the surrounding transaction ends, so callers take
the number as their last step before inserting the ticket; a rolled-back transaction gives its
number back, and any gap that remains (e.g. a deleted ticket) is harmless.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.utils import timezone

from kefu.tickets.models import TicketCounter

_UPSERT = (
    "INSERT INTO {table} (day, last) VALUES (%s, 1) "
    "ON CONFLICT (day) DO UPDATE SET last = {table}.last + 1 RETURNING last"
)


def format_number(day: datetime, sequence: int) -> str:
    return f"KF{day:%Y%m%d}{sequence:03d}"


def next_ticket_number(now: datetime | None = None) -> str:
    local = (now or timezone.now()).astimezone(ZoneInfo(settings.KEFU_TICKET_TZ))
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(table=TicketCounter._meta.db_table), [local.date()])
        (sequence,) = cursor.fetchone()
    return format_number(local, sequence)
