"""Archiving closed tickets and applying retention rules: dry run first, legal holds respected.

A real archiving run moves each ticket closed longer than the policy's period (and under no
hold) into ``ArchivedTicket`` as a snapshot and deletes its live rows, one transaction per
batch; its report fact stays (``kefu.reports``), so past figures do not change. Every run, dry
or real, is an ``ArchiveRun`` row and an audit entry.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from kefu.archive.models import ArchivedTicket, ArchivePolicy, ArchiveRun, LegalHold
from kefu.audit.actions import record as audit
from kefu.audit.models import Kind as Audit
from kefu.tickets.models import Status, Ticket

BATCH = 200
SAMPLE = 20


def policy() -> ArchivePolicy:
    found = ArchivePolicy.objects.order_by("pk").first()
    return found if found is not None else ArchivePolicy.objects.create()


def held() -> Q:
    """Tickets under an active legal hold (by organisation or by number)."""
    holds = LegalHold.objects.filter(released_at__isnull=True)
    orgs = [h for h in holds.values_list("organization_id", flat=True) if h]
    numbers = [n for n in holds.values_list("ticket_number", flat=True) if n]
    return Q(organization_id__in=orgs) | Q(number__in=numbers)


def due_for_archiving(now: datetime, after_days: int) -> QuerySet[Ticket]:
    cutoff = now - timedelta(days=after_days)
    return (
        Ticket.objects.filter(status__in=(Status.RESOLVED, Status.CLOSED))
        .alias(finished=Coalesce("closed_at", "resolved_at"))
        .filter(finished__lt=cutoff)
        .exclude(held())
        .order_by("pk")
    )


def _values(row: Any, fields: list[str]) -> dict[str, Any]:
    return {f: _plain(getattr(row, f)) for f in fields}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return (
        value if isinstance(value, (str, int, float, bool, list, dict, type(None))) else str(value)
    )


def snapshot(ticket: Ticket) -> dict[str, Any]:
    ticket_fields = [f.attname for f in Ticket._meta.concrete_fields]
    return {
        "ticket": _values(ticket, ticket_fields),
        "messages": [_values(m, ["id", "author_id", "author_role", "is_internal", "channel",
                                 "body", "html", "created_at"]) for m in ticket.messages.all()],
        "events": [_values(e, ["kind", "field", "old", "new", "data", "actor_id", "created_at"])
                   for e in ticket.events.all()],
        "attachments": [_values(a, ["id", "filename", "content_type", "size", "sha256",
                                    "uploaded_by_id", "created_at"]) | {"path": a.file.name}
                        for a in ticket.attachments.all()],
        "qa_reviews": [_values(r, ["source", "reason", "state", "agent_id", "score", "outcome",
                                   "feedback", "created_at", "completed_at"])
                       for r in ticket.qa_reviews.all()],
        "ratings": [_values(r, ["score", "comment", "via", "resolution_id", "chat_id",
                                "rated_by_id", "created_at", "changed_at"])
                    for r in ticket.ratings.all()],
    }  # fmt: skip


def _archive_one(ticket: Ticket, now: datetime) -> None:
    ArchivedTicket.objects.create(
        number=ticket.number, ticket_id=ticket.pk, organization_id=ticket.organization_id,
        requester_id=ticket.requester_id, team_id=ticket.team_id, assignee_id=ticket.assignee_id,
        subject=ticket.subject, status=ticket.status, channel=ticket.channel,
        created_at=ticket.created_at, closed_at=ticket.closed_at or ticket.resolved_at,
        archived_at=now, snapshot=snapshot(ticket),
    )  # fmt: skip
    # Links from live tickets are cleared by SET_NULL; the attachment files stay on disk,
    # listed in the snapshot, until a retention rule purges them.
    ticket.delete()


def run_archiving(*, dry_run: bool, actor: Any = None, now: datetime | None = None) -> ArchiveRun:
    now = now or timezone.now()
    rules = policy()
    due = due_for_archiving(now, rules.archive_after_days)
    run = ArchiveRun.objects.create(
        kind=ArchiveRun.Kind.ARCHIVE,
        dry_run=dry_run,
        started_at=now,
        actor_id=getattr(actor, "pk", None),
    )
    run.sample = list(due.values_list("number", flat=True)[:SAMPLE])
    moved = 0
    if dry_run:
        moved = due.count()
    else:
        while batch := list(due.prefetch_related("messages", "events", "attachments",
                                                 "qa_reviews", "ratings")[:BATCH]):  # fmt: skip
            with transaction.atomic():
                for ticket in batch:
                    _archive_one(ticket, now)
            moved += len(batch)
    run.counts = {"tickets": moved, "after_days": rules.archive_after_days}
    run.finished_at = timezone.now()
    run.save()
    audit(Audit.ARCHIVE_RUN, actor=actor, target=f"run {run.pk}",
          detail={"dry_run": dry_run, "tickets": moved})  # fmt: skip
    return run


def place_hold(*, reason: str, organization: Any = None, ticket_number: str = "") -> LegalHold:
    hold = LegalHold.objects.create(organization=organization, ticket_number=ticket_number,
                                    reason=reason)  # fmt: skip
    audit(Audit.LEGAL_HOLD, target=f"hold {hold.pk}", detail={"placed": str(hold)})
    return hold


def release_hold(*, hold: LegalHold) -> LegalHold:
    LegalHold.objects.filter(pk=hold.pk, released_at__isnull=True).update(
        released_at=timezone.now()
    )
    audit(Audit.LEGAL_HOLD, target=f"hold {hold.pk}", detail={"released": str(hold)})
    return hold
