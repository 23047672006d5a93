"""Keeping the report facts current: the flow marks changed tickets, the worker refreshes them.

``mark_dirty`` runs inside every ticket change's unit of work (``kefu.flow``): one upsert of a
tiny row per changed ticket, just before the unit commits, so the change pays almost nothing.
The sweeper reads a batch of marks, recomputes those tickets' facts from their events (three
queries per batch, whatever its size) and removes each mark only if it was not renewed
meanwhile (``marked_at`` unchanged), so a change that lands during a refresh is refreshed
again. The same transaction moves each refreshed fact's contribution in the daily buckets
(``kefu.reports.buckets``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from kefu.jobs.sweepers import Sweeper
from kefu.reports import buckets
from kefu.reports.facts import build_fact, report_calendar_code, rows_by_ticket
from kefu.reports.models import DirtyTicket, TicketFact
from kefu.sla.models import SlaClock
from kefu.sla.specs import calendar_for
from kefu.tickets.models import Ticket, TicketEvent
from kefu.tickets.work import before_commit_together

BATCH = 500
FACT_FIELDS = [f.name for f in TicketFact._meta.concrete_fields if f.name != "ticket_id"]


def mark_dirty(ticket: Ticket, events: list[TicketEvent]) -> None:
    """A follower (``kefu.flow``): the ticket's fact must be recomputed. Marked once per unit
    of work, however many rounds of events it follows (a new ticket has two or three), in one
    upsert for all the unit's tickets."""
    before_commit_together("report-fact-dirty", ticket.pk, None, mark)


def mark(ticket_ids: Iterable[int]) -> None:
    now = timezone.now()
    rows = [DirtyTicket(ticket_id=pk, marked_at=now) for pk in ticket_ids]
    DirtyTicket.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["ticket_id"], update_fields=["marked_at"]
    )


def refresh(ticket_ids: list[int]) -> list[TicketFact]:
    """Recompute and store the facts of ``ticket_ids`` (tickets that no longer exist keep the
    fact they had: archived tickets stay in the reports), and move their contributions in the
    daily buckets, in one transaction: the old facts are read locked, so two refreshes of a
    ticket move it one after the other."""
    with transaction.atomic():
        old = list(TicketFact.objects.select_for_update().filter(pk__in=ticket_ids))
        facts = _built(ticket_ids)
        TicketFact.objects.bulk_create(
            facts, update_conflicts=True, unique_fields=["ticket_id"], update_fields=FACT_FIELDS
        )
        buckets.move(old, facts)
    return facts


def _built(ticket_ids: list[int]) -> list[TicketFact]:
    tickets = Ticket.objects.filter(pk__in=ticket_ids).select_related("organization")
    events = rows_by_ticket(
        TicketEvent.objects.filter(ticket_id__in=ticket_ids)
        .only("ticket_id", "kind", "new", "data", "created_at")
        .order_by("ticket_id", "created_at", "id")
    )
    clocks: dict[int, list[str]] = {}
    for ticket_id, metric in SlaClock.objects.filter(ticket_id__in=ticket_ids).values_list(
        "ticket_id", "metric"
    ):
        clocks.setdefault(ticket_id, []).append(metric)
    code = report_calendar_code()
    return [
        build_fact(t, events.get(t.pk, []), clocks.get(t.pk, []),
                   calendar_for([code], around=t.created_at))
        for t in tickets
    ]  # fmt: skip


def sweep(now: datetime) -> int:
    oldest_first = DirtyTicket.objects.order_by("marked_at")
    marks = list(oldest_first.values_list("ticket_id", "marked_at")[:BATCH])
    if not marks:
        return 0
    with transaction.atomic():
        refresh([pk for pk, _ in marks])
        # A mark renewed after the read carries a later time than any mark read: it stays.
        latest = max(marked_at for _, marked_at in marks)
        DirtyTicket.objects.filter(
            ticket_id__in=[pk for pk, _ in marks], marked_at__lte=latest
        ).delete()
    return len(marks)


def next_due() -> datetime | None:
    return DirtyTicket.objects.aggregate(first=Min("marked_at"))["first"]


def refresh_all(batch: int = BATCH) -> int:
    """Every live ticket's fact, e.g. after an upgrade or a calendar change."""
    ids = list(Ticket.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        refresh(ids[start : start + batch])
    return len(ids)


SWEEPER = Sweeper(name="report-rollups", run=sweep, next_due=next_due, max_sleep=5.0)
