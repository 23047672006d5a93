"""The only code that writes SLA clocks (and bumps calendar versions).

``rebuild_clocks`` recomputes a ticket's clocks from its whole history, inside the transaction of
the event that changed it, so due instants always follow the ticket's status, priority and the
current policies. The sweeper's conditional UPDATEs (``claim``) are the only writers of
``warned_at``/``breached_at``; a rebuild keeps them while they still stand.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from kefu.sla import cycles, policies
from kefu.sla.models import BusinessCalendar, SlaClock, SlaPolicy
from kefu.sla.specs import calendar_for, clear_cache, versions
from kefu.tickets.models import Message, Ticket, TicketEvent
from kefu.tickets.work import before_commit_together, created_here, unit_store

State = SlaClock.State


def touch_calendar(calendar_id: int) -> None:
    """A calendar or one of its dates changed: new version, so every process rebuilds its spec."""
    BusinessCalendar.objects.filter(pk=calendar_id).update(version=F("version") + 1)
    clear_cache()


def _history_rows(ticket: Ticket) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The ticket's status changes and public messages, oldest first: as this unit of work
    wrote them if it created the ticket, else from the database."""
    new = created_here(ticket.pk)
    if new is not None:
        events = new.ordered_events()
        return (
            [(e.created_at, e.old, e.new) for e in events if e.field == "status"],
            [(m.created_at, m.author_role) for m in new.public_messages()],
        )
    changes = (
        TicketEvent.objects.filter(ticket=ticket, field="status")
        .order_by("created_at", "id")
        .values_list("created_at", "old", "new")
    )
    messages = (
        Message.objects.filter(ticket=ticket, is_internal=False)
        .order_by("created_at", "id")
        .values_list("created_at", "author_role")
    )
    return list(changes), list(messages)


def load_history(ticket: Ticket) -> cycles.History:
    changes, messages = _history_rows(ticket)
    roles = {
        str(Message.AuthorRole.AGENT): cycles.AGENT,
        str(Message.AuthorRole.CUSTOMER): cycles.CUSTOMER,
    }
    return cycles.History(
        created_at=ticket.created_at,
        initial_status=str(changes[0][1]) if changes else ticket.status,
        status_changes=tuple((when, str(new)) for when, _, new in changes),
        # The opening message is the request itself, whoever typed it in; bots do not count.
        messages=tuple((when, roles[role]) for when, role in messages[1:] if role in roles),
    )


def _seconds(value: timedelta | None) -> int | None:
    return None if value is None else int(value.total_seconds())


def _compute(
    ticket: Ticket,
    metric: str,
    policy: SlaPolicy,
    history: cycles.History,
    known: dict[str, int],
) -> SlaClock | None:
    found = cycles.cycle(metric, history)
    if found is None:
        return None
    codes = policies.calendar_codes(policy)
    calendar = calendar_for(codes, around=ticket.created_at, known=known)
    paused = cycles.pauses(
        history, policy.pause_statuses or (), stopped=metric in cycles.STOPPED_PAUSES
    )
    values = cycles.evaluate(calendar, policy.target(metric), found, paused, policy.warn_share)
    return SlaClock(
        ticket=ticket,
        metric=metric,
        policy=policy,
        target=policy.target(metric),
        calendars="+".join(codes),
        warn_share=policy.warn_share,
        started_at=found.started_at,
        state=values.state,
        due_at=values.due_at,
        warn_at=values.warn_at,
        remaining_seconds=_seconds(values.remaining),
        met_at=values.met_at,
    )


def _keep_sweeper_facts(new: SlaClock, old: SlaClock | None) -> None:
    """Carry over the warning and breach of the same cycle while they still stand."""
    if old is None or old.started_at != new.started_at:
        return
    late = new.remaining_seconds is not None and new.remaining_seconds <= 0
    finished = new.state in (State.MET, State.CANCELLED)
    warned = new.warn_at is not None and new.warn_at <= (old.warned_at or new.warn_at)
    if old.warned_at and (finished or late or warned):
        new.warned_at = old.warned_at
    if old.breached_at and (late or (new.due_at is not None and new.due_at <= old.breached_at)):
        new.breached_at = old.breached_at
    if new.state == State.RUNNING and new.breached_at:
        new.state = State.BREACHED


FIELDS = (
    *("policy", "target", "calendars", "warn_share", "started_at", "state", "due_at"),
    *("warn_at", "remaining_seconds", "met_at", "warned_at", "breached_at", "updated_at"),
)


# Compared by column (``policy_id``, not ``policy``): reading the relation would cost a query.
COMPARED = tuple(
    f.attname for f in SlaClock._meta.concrete_fields if f.name in FIELDS and f.name != "updated_at"
)


def _update(new: SlaClock, old: SlaClock) -> None:
    new.pk = old.pk
    if any(getattr(new, f) != getattr(old, f) for f in COMPARED):
        new.save(update_fields=FIELDS)


def _existing_clocks(ticket: Ticket) -> dict[str, SlaClock]:
    """The ticket's clocks, locked in id order (as the sweeper locks them: the two never
    deadlock). A ticket this unit of work created has none until the unit's writes insert its
    first clocks (``_insert_first``)."""
    if created_here(ticket.pk) is not None and ticket.pk not in (unit_store(INSERTED) or {}):
        return {}
    clocks = SlaClock.objects.select_for_update().filter(ticket=ticket).order_by("pk")
    return {c.metric: c for c in clocks}


INSERTED = "sla-inserted"


def _insert_first(clocks: dict[int, list[SlaClock]]) -> None:
    """The first clocks of the tickets a unit created, in one INSERT for all of them (the
    worker's triage batch derives many): their latest rebuild's, as a rebuild before this
    replaces what the one before it left here."""
    SlaClock.objects.bulk_create([clock for rows in clocks.values() for clock in rows])
    inserted = unit_store(INSERTED)
    if inserted is not None:
        inserted.update(dict.fromkeys(clocks, True))


def rebuild_clocks(*, ticket: Ticket, active: Iterable[SlaPolicy] | None = None) -> list[SlaClock]:
    """Recompute every clock of ``ticket`` from its history and the active policies."""
    with transaction.atomic(savepoint=False):  # a failure fails the ticket's change
        chosen = policies.choose(
            policies.active_policies() if active is None else active,
            policies.TicketFacts.of(ticket),
        )
        history = load_history(ticket)
        existing = _existing_clocks(ticket)
        known = versions({c for p in chosen.values() for c in policies.calendar_codes(p)})
        clocks, new_rows = [], []
        now = timezone.now()
        for metric, policy in chosen.items():
            new = _compute(ticket, metric, policy, history, known)
            if new is None:
                continue
            old = existing.get(metric)
            _keep_sweeper_facts(new, old)
            new.updated_at = now
            if old is None:
                new_rows.append(new)
            else:
                _update(new, old)
            clocks.append(new)
        if created_here(ticket.pk) is not None and not existing:
            before_commit_together("sla-first-clocks", ticket.pk, new_rows, _insert_first)
        else:
            SlaClock.objects.bulk_create(new_rows)
        for metric, old in existing.items():
            if metric not in chosen or not any(c.metric == metric for c in clocks):
                _cancel(old)
        return clocks


def _cancel(clock: SlaClock) -> None:
    if clock.state in (State.RUNNING, State.PAUSED, State.BREACHED):
        SlaClock.objects.filter(pk=clock.pk).update(
            state=State.CANCELLED, warn_at=None, updated_at=timezone.now()
        )


def rebuild_all_clocks(*, open_only: bool = True, batch: int = 500) -> int:
    """After a policy or calendar change: recompute the clocks of every (open) ticket."""
    active = policies.active_policies()
    tickets = Ticket.objects.select_related("organization").order_by("pk")
    if open_only:
        tickets = tickets.exclude(status__in=cycles.STOPPED)
    count = 0
    for ticket in tickets.iterator(chunk_size=batch):
        rebuild_clocks(ticket=ticket, active=active)
        count += 1
    return count


# --- the sweeper's claims: conditional UPDATEs, so each fires exactly once ----------------------


def lock_due_clocks(clock_ids: Iterable[int]) -> set[int]:
    """Lock the tickets of ``clock_ids``, then their clocks, each in id order and skipping rows
    another transaction holds; return those of ``clock_ids`` whose ticket and all of its clocks
    are held now. The others wait for the next sweep.

    Every ticket change takes the ticket row first and its clocks after (``rebuild_clocks``), so
    the sweeper does too, and never waits for either: a sweeper that held a clock and waited
    for its ticket (to record the breach, to escalate) deadlocked with a change of that ticket
    waiting for the clock; after an outage, with thousands due, that happened."""
    wanted = set(clock_ids)
    tickets = list(
        Ticket.objects.select_for_update(skip_locked=True, no_key=True)
        .filter(pk__in=SlaClock.objects.filter(pk__in=wanted).values("ticket_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    held = dict(
        SlaClock.objects.select_for_update(skip_locked=True)
        .filter(ticket_id__in=tickets)
        .order_by("pk")
        .values_list("pk", "ticket_id")
    )
    everyone = SlaClock.objects.filter(ticket_id__in=tickets).values_list("pk", "ticket_id")
    incomplete = {ticket for pk, ticket in everyone if pk not in held}
    return {pk for pk, ticket in held.items() if pk in wanted and ticket not in incomplete}


_TABLE = SlaClock._meta.db_table
# Conditional UPDATEs: a clock is claimed only while still due and unclaimed, so however many
# workers try, one wins. RETURNING says which (PostgreSQL, SQLite 3.35+).
_CLAIMS = {
    "sla_warning": f"UPDATE {_TABLE} SET warned_at = %s WHERE id IN ({{ids}}) AND state = 'running'"
    " AND warned_at IS NULL AND warn_at <= %s RETURNING id",
    "sla_breach": f"UPDATE {_TABLE} SET state = 'breached', breached_at = %s WHERE id IN ({{ids}})"
    " AND state = 'running' AND breached_at IS NULL AND due_at <= %s RETURNING id",
}


def claim(kind: str, clock_ids: Iterable[int], now: datetime) -> list[int]:
    """Claim the warning (``sla_warning``) or breach (``sla_breach``) of due clocks at ``now``;
    returns the ids this caller won."""
    ids = [int(pk) for pk in clock_ids]
    if not ids:
        return []
    moment = connection.ops.adapt_datetimefield_value(now)
    sql = _CLAIMS[kind].format(ids=", ".join(["%s"] * len(ids)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [moment, *ids, moment])
        return [row[0] for row in cursor.fetchall()]
