"""Optimistic concurrency on a ticket: no silent overwrite by someone who has not seen the latest.

A page (or an API client) reads the ticket's version — its ``updated_at``, which every reply,
note and change moves — and sends it back with a reply or a change. If the ticket moved in the
meantime the submit is refused with ``StaleTicket`` (409): the person reviews what is new and
sends again. A submit without a version is not checked (older API clients keep working).

The check runs inside the unit of work that makes the change and locks the ticket's row
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's writers already take turns), so two submits
made from the same read cannot both pass: the second waits for the first and then sees its
version.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kefu.errors import StaleTicket
from kefu.tickets.models import Ticket

STALE_MESSAGE = _(
    "This ticket changed since you opened it (a new message or a change by someone else). "
    "Review what is new, then send again: what you typed is kept below."
)


def ticket_version(ticket: Ticket) -> str:
    """An opaque token that changes whenever the ticket does."""
    return ticket.updated_at.isoformat(timespec="microseconds")


def check_version(ticket: Ticket, seen: str | None) -> None:
    """Refuse a change made from a stale read; the ticket is read fresh, its row locked.

    Call it inside the unit of work that makes the change, so the lock lasts until it commits.
    """
    if not seen:
        return
    rows = Ticket.objects.select_for_update().filter(pk=ticket.pk)
    current = rows.values_list("updated_at", flat=True).first()
    if current is None or current.isoformat(timespec="microseconds") != seen.strip():
        raise StaleTicket(STALE_MESSAGE, field="version")
