"""A ticket's report fact, derived from its event history on the report calendar.

The rules (the same ones the tests recompute independently from raw events):

* first response: the first public reply whose author role is ``agent``; wall seconds and
  business seconds (open time of the report calendar) since creation.
* next responses: after the first response, a customer's public reply starts a wait that the
  next agent reply ends; each wait in business seconds.
* resolution: the first status change to resolved or closed; reopened: any ``reopened`` event.
* SLA: the metrics the ticket has a clock for, and those with an ``sla_breach`` event.
* rating: the latest ``rated`` event — chat ratings today, and ticket ratings recorded as the
  same event kind on tickets count too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from kefu.reports.models import TicketFact
from kefu.sla.calendars import Calendar
from kefu.sla.clock import open_time_between
from kefu.sla.models import Metric
from kefu.tickets.models import EventKind as E
from kefu.tickets.models import Message, Status, Ticket, TicketEvent

SHANGHAI = ZoneInfo("Asia/Shanghai")
METRIC_BITS = {metric: 1 << index for index, metric in enumerate(Metric.values)}
DONE = (Status.RESOLVED, Status.CLOSED)
AGENT, CUSTOMER = Message.AuthorRole.AGENT, Message.AuthorRole.CUSTOMER


def report_calendar_code() -> str:
    return str(getattr(settings, "KEFU_REPORTS_CALENDAR", "cn-standard"))


def hour_of_week(at: datetime) -> int:
    utc = at.astimezone(UTC)
    return utc.weekday() * 24 + utc.hour


def business_seconds(calendar: Calendar, start: datetime, end: datetime) -> int:
    return int(open_time_between(calendar, start, end).total_seconds())


def _replies(events: Sequence[TicketEvent]) -> list[tuple[datetime, str]]:
    return [(e.created_at, str(e.data.get("role", ""))) for e in events if e.kind == E.REPLY]


def _next_responses(calendar: Calendar, replies: list[tuple[datetime, str]]) -> list[int]:
    first_agent = next((i for i, (_, role) in enumerate(replies) if role == AGENT), None)
    if first_agent is None:
        return []
    waits, waiting = [], None
    for when, role in replies[first_agent + 1 :]:
        if role == CUSTOMER and waiting is None:
            waiting = when
        elif role == AGENT and waiting is not None:
            waits.append(business_seconds(calendar, waiting, when))
            waiting = None
    return waits


def _first_done(events: Sequence[TicketEvent]) -> datetime | None:
    for event in events:
        if event.kind in (E.STATUS, E.REOPENED) and event.new in DONE:
            return event.created_at
    return None


def _bits(metrics: Iterable[str]) -> int:
    return sum(METRIC_BITS.get(m, 0) for m in set(metrics))


def build_fact(
    ticket: Ticket, events: Sequence[TicketEvent], clocks: Iterable[str], calendar: Calendar
) -> TicketFact:
    created = ticket.created_at
    replies = _replies(events)
    first = next((when for when, role in replies if role == AGENT), None)
    done = _first_done(events)
    ratings = [e.new for e in events if e.kind == E.RATED and e.new]
    breached = [str(e.data.get("metric", "")) for e in events if e.kind == E.SLA_BREACH]
    organization = ticket.organization
    tier = "key_account" if organization and organization.is_key_account else "standard"
    return TicketFact(
        ticket_id=ticket.pk, number=ticket.number, created_at=created,
        day=created.astimezone(SHANGHAI).date(), utc_hour_of_week=hour_of_week(created),
        channel=ticket.channel, category_id=ticket.category_id, team_id=ticket.team_id,
        agent_id=ticket.assignee_id, organization_id=ticket.organization_id, tier=tier,
        language=ticket.language, is_complaint=ticket.is_complaint,
        first_response_at=first,
        first_response_wall=_wall(created, first),
        first_response_business=business_seconds(calendar, created, first) if first else None,
        next_responses=_next_responses(calendar, replies),
        resolved_at=done, resolution_wall=_wall(created, done),
        resolution_business=business_seconds(calendar, created, done) if done else None,
        reopened=any(e.kind == E.REOPENED for e in events),
        open_now=ticket.status not in DONE,
        sla_targets=_bits(clocks), sla_breached=_bits(breached),
        rating=str(ratings[-1]) if ratings else "",
        nudges=sum(1 for e in events if e.kind == E.NUDGED),
        handed_off=any(e.kind == E.CHAT_HANDOFF for e in events),
        refreshed_at=timezone.now(),
    )  # fmt: skip


def _wall(start: datetime, end: datetime | None) -> int | None:
    return None if end is None else int((end - start).total_seconds())


def rows_by_ticket(rows: Iterable[Any]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row.ticket_id, []).append(row)
    return grouped
