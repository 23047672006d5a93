"""Where each SLA metric stands, derived from a ticket's history. Pure, no Django.

A ``History`` is what the ticket's events and public messages say: when it was created, its
status changes, and who wrote publicly when (the opening message excluded). ``cycle`` tells for
one metric when its current cycle started and whether it is running, met or cancelled;
``evaluate`` turns a cycle into due instants with ``kefu.sla.clock``.

* first response: from creation to the first public agent reply.
* next response: from the first customer message after an agent reply to the next agent reply;
  only after the first response (which covers the wait before it).
* periodic update: from the latest agent reply (or creation) to the next one; ends on resolution.
* resolution: from creation to resolved/closed; a reopen starts a new cycle.

A response clock stops (cancelled) while the ticket is resolved or closed; after a reopen it runs
on, the resolved time excluded like a pause.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from kefu.sla.calendars import Calendar
from kefu.sla.clock import Pause, Target, due_at, parse_target, remaining

STOPPED = frozenset({"resolved", "closed"})
AGENT = "agent"
CUSTOMER = "customer"

RUNNING, PAUSED, MET, CANCELLED = "running", "paused", "met", "cancelled"


@dataclass(frozen=True)
class History:
    created_at: datetime
    initial_status: str
    status_changes: tuple[tuple[datetime, str], ...] = ()  # (when, new status), in order
    messages: tuple[tuple[datetime, str], ...] = ()  # (when, "agent" | "customer"), in order

    @property
    def status(self) -> str:
        return self.status_changes[-1][1] if self.status_changes else self.initial_status

    def spans(self) -> list[tuple[datetime, datetime | None, str]]:
        """The ticket's statuses as (from, until, status); the last one is open-ended."""
        spans: list[tuple[datetime, datetime | None, str]] = []
        since, status = self.created_at, self.initial_status
        for when, new in self.status_changes:
            spans.append((since, when, status))
            since, status = when, new
        spans.append((since, None, status))
        return spans

    def stopped_since(self) -> datetime | None:
        """When the ticket last became resolved or closed, if it still is."""
        spans = self.spans()
        if spans[-1][2] not in STOPPED:
            return None
        since = spans[-1][0]
        for start, _, status in reversed(spans):
            if status not in STOPPED:
                break
            since = start
        return since

    def replies(self, role: str) -> list[datetime]:
        return [when for when, who in self.messages if who == role]


@dataclass(frozen=True)
class Cycle:
    started_at: datetime
    ended_at: datetime | None = None
    outcome: str = RUNNING  # running | met | cancelled


def pauses(history: History, statuses: Collection[str], *, stopped: bool) -> list[Pause]:
    """Spans in the pause statuses (and resolved/closed if ``stopped``), merged by the clock."""
    paused = set(statuses) | (STOPPED if stopped else set())
    return [(start, end) for start, end, status in history.spans() if status in paused]


def cycle(metric: str, history: History) -> Cycle | None:
    return _CYCLES[metric](history)


def _first_response(history: History) -> Cycle:
    replies = history.replies(AGENT)
    if replies:
        return Cycle(history.created_at, replies[0], MET)
    return _unless_stopped(history, history.created_at)


def _unless_stopped(history: History, start: datetime) -> Cycle:
    stopped = history.stopped_since()
    if stopped is not None:
        return Cycle(start, max(stopped, start), CANCELLED)
    return Cycle(start)


def _next_response(history: History) -> Cycle | None:
    replies = history.replies(AGENT)
    if not replies:
        return None
    waiting: datetime | None = None
    last: Cycle | None = None
    for when, who in history.messages:
        if when < replies[0] or (when == replies[0] and who == CUSTOMER):
            continue
        if who == CUSTOMER and waiting is None:
            waiting = when
        elif who == AGENT and waiting is not None:
            last, waiting = Cycle(waiting, when, MET), None
    if waiting is not None:
        return _unless_stopped(history, waiting)
    return last


def _periodic_update(history: History) -> Cycle:
    replies = history.replies(AGENT)
    start = replies[-1] if replies else history.created_at
    stopped = history.stopped_since()
    if stopped is not None:
        return Cycle(start, max(stopped, start), MET)
    return Cycle(start)


def _resolution(history: History) -> Cycle:
    start, end = history.created_at, None
    previous = history.initial_status
    for when, new in history.status_changes:
        if previous in STOPPED and new not in STOPPED:
            start, end = when, None  # reopened: a new cycle with the full target
        elif new in STOPPED and previous not in STOPPED and end is None:
            end = when
        previous = new
    return Cycle(start, end, MET) if end is not None else Cycle(start)


_CYCLES = {
    "first_response": _first_response,
    "next_response": _next_response,
    "periodic_update": _periodic_update,
    "resolution": _resolution,
}
# Response clocks count on after a reopen; resolution starts over, periodic updates restart.
STOPPED_PAUSES = frozenset({"first_response", "next_response"})


@dataclass(frozen=True)
class ClockValues:
    state: str
    due_at: datetime | None
    warn_at: datetime | None
    remaining: timedelta | None  # None while running: it shrinks with time, computed on reading
    met_at: datetime | None = None


def _closed_before(spans: list[Pause], end: datetime) -> list[Pause]:
    """Pauses up to ``end``: a finished clock is not paused after it finished."""
    return [(s, end if e is None or e > end else e) for s, e in spans if s < end]


def evaluate(
    calendar: Calendar, target: Target | str, cycle: Cycle, paused: list[Pause], warn_share: float
) -> ClockValues:
    target = parse_target(target) if isinstance(target, str) else target
    start = cycle.started_at
    if cycle.outcome != RUNNING:
        assert cycle.ended_at is not None
        spans = _closed_before(paused, cycle.ended_at)
        due = due_at(calendar, start, target, pauses=spans)
        left = remaining(calendar, start, target, cycle.ended_at, pauses=spans)
        return ClockValues(cycle.outcome, due, None, left, cycle.ended_at)
    due = due_at(calendar, start, target, pauses=paused)
    warn = due_at(calendar, start, target, pauses=paused, share=warn_share)
    if due is not None:
        return ClockValues(RUNNING, due, warn, None)
    paused_since = max(s for s, e in paused if e is None)
    left = remaining(calendar, start, target, max(paused_since, start), pauses=paused)
    # The warning instant stays known if it passed before the pause: it must not fire again.
    return ClockValues(PAUSED, None, warn, left)
