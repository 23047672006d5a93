"""Keeping ``Ticket.score`` (and ``Ticket.triage["score_terms"]``) current.

Two paths, chosen so that 100k open tickets stay cheap:

- events: when something the score depends on changes (priority, category, status, tags,
  emergency, a nudge's score bump…), the ticket is rescored in the event's transaction — a few
  indexed queries for that one ticket;
- time: waiting time and SLA proximity are step functions (``score.next_change``), so each open
  ticket has one ``ScoreRefresh`` row saying when its next step is due. The sweeper takes due rows
  in batches, re-reads the SLA due times of the whole batch in one query and recomputes only the
  time terms from the stored ones. An open ticket is revisited about once an hour for its first
  day, then only at SLA steps.

The queue then is a plain ``ORDER BY score DESC`` on an indexed column.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from kefu.jobs.sweepers import Sweeper
from kefu.tickets import actions
from kefu.tickets.models import OPEN_STATUSES, EventKind, Ticket
from kefu.tickets.work import before_commit_together, created_here
from kefu.triage.links import nearest_due
from kefu.triage.models import ScoreRefresh
from kefu.triage.score import (
    URGENCY_WINDOW,
    ScoreFacts,
    Term,
    next_change,
    priority_score,
    rescore,
    urgency_overused,
)

REPEAT_WINDOW = timedelta(days=14)
BATCH = 500
# Event kinds that change what the score looks at (the rest leave it alone).
SCORE_EVENTS = frozenset(
    {"created", "priority", "category", "status", "reopened", "is_emergency", "is_complaint",
     "tags", "score", "organization", "order_value"}
)  # fmt: skip


def repeat_contacts(ticket: Ticket) -> int:
    """Earlier tickets of the same requester on the same issue (same order, else same
    category) within the repeat window."""
    earlier = Ticket.objects.filter(
        requester_id=ticket.requester_id,
        created_at__gte=ticket.created_at - REPEAT_WINDOW,
        created_at__lt=ticket.created_at,
        merged_into__isnull=True,
    ).exclude(pk=ticket.pk)
    if ticket.order_id:
        earlier = earlier.filter(order_id=ticket.order_id)
    elif ticket.category_id is not None:
        earlier = earlier.filter(category_id=ticket.category_id)
    else:
        return 0  # nothing says what the issue is
    return earlier[:10].count()


def urgency_history(ticket: Ticket) -> tuple[int, int]:
    """(asked, tickets): the requester's tickets in the urgency window up to and including this
    one, and how many of them asked for urgency. Fixed once the ticket exists, so a rescore
    never changes the verdict."""
    counts = Ticket.objects.filter(
        requester_id=ticket.requester_id,
        created_at__gte=ticket.created_at - URGENCY_WINDOW,
        created_at__lte=ticket.created_at,
        merged_into__isnull=True,
    ).aggregate(tickets=Count("id"), asked=Count("id", filter=Q(urgent_requested=True)))
    return counts["asked"], counts["tickets"]


def _bumps(ticket: Ticket) -> tuple[tuple[str, float], ...]:
    """Points raised on purpose by other apps (``tickets.actions.raise_score`` events)."""
    new_ticket = created_here(ticket.pk)
    if new_ticket is not None:
        events = [
            (e.old, e.new, e.data) for e in new_ticket.ordered_events() if e.kind == EventKind.SCORE
        ]
    else:
        events = list(ticket.events.filter(kind=EventKind.SCORE).values_list("old", "new", "data"))
    return tuple(
        ((data or {}).get("reason", ""), float(new or 0) - float(old or 0))
        for old, new, data in events
    )


def facts_for(
    ticket: Ticket, sla_due_at: datetime | None, urgency: tuple[int, int] = (0, 0)
) -> ScoreFacts:
    organization, category = ticket.organization, ticket.category
    details = ticket.triage or {}
    return ScoreFacts(
        created_at=ticket.created_at,
        priority=ticket.priority,
        category=category.code if category else None,
        category_names=(category.name_en, category.name_zh) if category else None,
        is_emergency=ticket.is_emergency,
        is_complaint=ticket.is_complaint,
        key_account=bool(organization and organization.is_key_account),
        expedite=bool(organization and organization.expedite),
        urgent_requested=ticket.urgent_requested,
        urgency_history=urgency,
        repeat_contacts=repeat_contacts(ticket),
        order_value=ticket.order_value,
        sla_due_at=sla_due_at,
        duplicates=int(details.get("duplicates", 0)),
        burst=int(details.get("burst", 0)),
        bumps=_bumps(ticket),
    )


def _schedule(ticket_id: int, due: datetime | None) -> None:
    """The ticket's next refresh (None: none), written with the unit's other tickets'."""
    before_commit_together("score-refresh", ticket_id, due, _write_schedules)


def _write_schedules(due: dict[int, datetime | None]) -> None:
    """One upsert (instead of a locked read and a write each) and one delete for them all."""
    if gone := [ticket_id for ticket_id, at in due.items() if at is None]:
        ScoreRefresh.objects.filter(ticket_id__in=gone).delete()
    if rows := [ScoreRefresh(ticket_id=t, due_at=at) for t, at in due.items() if at is not None]:
        ScoreRefresh.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["ticket"], update_fields=["due_at"]
        )


def refresh(ticket: Ticket, now: datetime | None = None) -> float:
    """Recompute and store the ticket's score and terms; schedule its next time step.

    Deferred to the end of the ticket's unit of work, after its SLA clocks are rebuilt."""
    now = now or timezone.now()
    sla_due_at = nearest_due([ticket.pk]).get(ticket.pk)
    urgency = urgency_history(ticket) if ticket.urgent_requested else (0, 0)
    score, terms = priority_score(facts_for(ticket, sla_due_at, urgency), now)
    details = _stored(terms, sla_due_at)
    if ticket.urgent_requested:  # shown to the agent beside the request
        asked, tickets = urgency
        details["urgency"] = {
            "asked": asked,
            "tickets": tickets,
            "counted": not urgency_overused(asked, tickets),
        }
    actions.store_triage(ticket=ticket, score=score, details=details)
    if ticket.status not in OPEN_STATUSES:
        _schedule(ticket.pk, None)
    else:
        _schedule(ticket.pk, next_change(ticket.created_at, sla_due_at, now))
    return score


def _stored(terms: list[Term], sla_due_at: datetime | None) -> dict[str, Any]:
    return {
        "score_terms": [t.as_dict() for t in terms],
        "sla_due_at": sla_due_at.isoformat() if sla_due_at else None,
    }


def sweep(now: datetime) -> int:
    """Bring due tickets' time terms up to ``now``; returns how many were handled.

    Neither the due rows nor their tickets are waited for (SKIP LOCKED): a ticket being changed
    holds its row and then takes its ``ScoreRefresh`` row, the opposite order, so a sweeper that
    waited for a ticket while holding refresh rows deadlocked with it (with the SLA sweeper's
    escalations, after an outage). A skipped ticket stays due for the next sweep."""
    with transaction.atomic():
        due = list(
            ScoreRefresh.objects.select_for_update(skip_locked=True)
            .filter(due_at__lte=now)
            .order_by("due_at")
            .values_list("ticket_id", flat=True)[:BATCH]
        )
        if not due:
            return 0
        tickets = list(
            Ticket.objects.select_for_update(skip_locked=True, no_key=True)
            .filter(pk__in=due)
            .order_by("pk")
            .only("id", "status", "created_at", "score", "triage")
        )
        dues = nearest_due(t.pk for t in tickets if t.status in OPEN_STATUSES)
        next_steps = _rescore_all(tickets, dues, now)
        actions.store_scores(tickets=[t for t in tickets if t.pk in next_steps])
        _reschedule([t.pk for t in tickets], next_steps)
    return len(tickets)


def _rescore_all(
    tickets: list[Ticket], dues: dict[int, datetime], now: datetime
) -> dict[int, datetime | None]:
    """Recompute the time terms of the open tickets in place; their next step instants."""
    steps: dict[int, datetime | None] = {}
    for ticket in tickets:
        if ticket.status not in OPEN_STATUSES:
            continue
        stored = [Term.from_dict(t) for t in (ticket.triage or {}).get("score_terms", [])]
        sla_due_at = dues.get(ticket.pk)
        ticket.score, terms = rescore(stored, ticket.created_at, sla_due_at, now)
        ticket.triage = {**(ticket.triage or {}), **_stored(terms, sla_due_at)}
        steps[ticket.pk] = next_change(ticket.created_at, sla_due_at, now)
    return steps


def _reschedule(handled: list[int], next_steps: dict[int, datetime | None]) -> None:
    finished = [pk for pk in handled if next_steps.get(pk) is None]
    ScoreRefresh.objects.filter(ticket_id__in=finished).delete()
    rows = [ScoreRefresh(ticket_id=pk, due_at=at) for pk, at in next_steps.items() if at]
    ScoreRefresh.objects.bulk_update(rows, ["due_at"], batch_size=BATCH)


def next_due() -> datetime | None:
    return ScoreRefresh.objects.order_by("due_at").values_list("due_at", flat=True).first()


SWEEPER = Sweeper(name="triage-scores", run=sweep, next_due=next_due, max_sleep=1.0)
