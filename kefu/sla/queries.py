"""Reads of SLA clocks, scoped like their ticket, and who is on shift."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from kefu.accounts.access import Viewer
from kefu.accounts.models import Agent
from kefu.sla.calendars import BilingualError
from kefu.sla.clock import is_open, open_time_between, parse_target
from kefu.sla.models import Metric, SlaClock
from kefu.sla.specs import calendar_for
from kefu.tickets import queries as ticket_queries
from kefu.tickets.models import Ticket

log = logging.getLogger("kefu.sla")
TICKING = (SlaClock.State.RUNNING, SlaClock.State.BREACHED)
# The unit-of-work store where a rebuild leaves each ticket's nearest due time (``nearest_due``).
NEAREST_DUE = "sla-nearest-due"


@dataclass(frozen=True)
class ClockView:
    clock: SlaClock
    remaining: timedelta | None  # business time left now; negative when overdue

    @property
    def metric_label(self) -> str:
        return str(Metric(self.clock.metric).label)

    @property
    def overdue(self) -> bool:
        return self.remaining is not None and self.remaining < timedelta(0)

    @property
    def remaining_seconds(self) -> int | None:
        return None if self.remaining is None else int(self.remaining.total_seconds())


def remaining_now(clock: SlaClock, now: datetime) -> timedelta | None:
    """Business time left on a clock: counted now for a ticking clock, as stored otherwise."""
    if clock.state not in TICKING or clock.due_at is None:
        stored = clock.remaining_seconds
        return None if stored is None else timedelta(seconds=stored)
    calendar = calendar_for(clock.calendar_codes, around=clock.started_at)
    working_only = bool(parse_target(clock.target).working_days)
    if clock.due_at >= now:
        return open_time_between(calendar, now, clock.due_at, working_only=working_only)
    return -open_time_between(calendar, clock.due_at, now, working_only=working_only)


def clock_views(ticket: Ticket, now: datetime | None = None) -> list[ClockView]:
    now = now or timezone.now()
    order = {metric: i for i, metric in enumerate(Metric.values)}
    clocks = sorted(ticket.sla_clocks.select_related("policy"), key=lambda c: order[c.metric])
    return [ClockView(clock, remaining_now(clock, now)) for clock in clocks]


def ticket_clocks(viewer: Viewer, number: str) -> list[ClockView]:
    """The clocks of a ticket the viewer may see (NotFound otherwise, like the ticket)."""
    return clock_views(ticket_queries.get_ticket(viewer, number))


def is_on_shift(agent: Agent, at: datetime | None = None) -> bool:
    """Whether ``agent``'s shift calendar is open at ``at`` (now by default)."""
    at = at or timezone.now()
    try:
        calendar = calendar_for([agent.shift_calendar], around=at)
    except BilingualError:
        log.warning("agent %s has an unknown shift calendar %r", agent.code, agent.shift_calendar)
        return False
    return is_open(calendar, at)
