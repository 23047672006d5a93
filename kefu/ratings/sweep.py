"""The resolution window's timers: the reminder one working day before the auto-close, and the
auto-close itself. Each due row is claimed with a conditional UPDATE, so any number of workers
handle it once; the claim and what follows it commit together."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from kefu.accounts.access import SYSTEM
from kefu.errors import KefuError
from kefu.jobs.sweepers import Sweeper
from kefu.notifications.followers import notify_customer
from kefu.notifications.models import Kind
from kefu.notifications.texts import format_instant
from kefu.ratings.actions import claim_auto_close, claim_reminder
from kefu.ratings.models import Resolution
from kefu.tickets.actions import change_status
from kefu.tickets.links import Action, make_url
from kefu.tickets.models import Status, Ticket
from kefu.tickets.work import unit_of_work

BATCH = 100


def _waiting() -> QuerySet[Resolution]:
    return Resolution.objects.filter(state=Resolution.State.WAITING)


def _reminders() -> QuerySet[Resolution]:
    return _waiting().filter(reminded_at__isnull=True, remind_at__isnull=False)


def next_due() -> datetime | None:
    remind = _reminders().order_by("remind_at").values_list("remind_at", flat=True).first()
    close = _waiting().order_by("close_at").values_list("close_at", flat=True).first()
    return min((d for d in (remind, close) if d is not None), default=None)


def _current(resolution: Resolution) -> Ticket | None:
    """The ticket, if this resolution is still its present state (else the window is moot)."""
    ticket = Ticket.objects.select_related("requester").get(pk=resolution.ticket_id)
    if ticket.status != Status.RESOLVED or ticket.resolved_at != resolution.resolved_at:
        return None
    return ticket


def remind(resolution_id: int) -> bool:
    with unit_of_work():
        now = timezone.now()
        if not claim_reminder(resolution_id, now):
            return False  # another worker reminded, or the window ended meanwhile
        resolution = Resolution.objects.get(pk=resolution_id)
        ticket = _current(resolution)
        late = resolution.close_at is not None and resolution.close_at <= now  # closes now anyway
        if ticket is None or late or getattr(ticket.requester, "agent", None) is not None:
            return True
        notify_customer(
            ticket, ticket.requester, Kind.CLOSE_SOON, template="close_soon",
            when=resolution.close_at.isoformat() if resolution.close_at else "",
            close_at=format_instant(resolution.close_at),
            confirm_url=make_url(ticket, Action.CONFIRM),
            reopen_url=make_url(ticket, Action.REOPEN), rate_url=make_url(ticket, Action.RATE),
        )  # fmt: skip
    return True


def auto_close(resolution_id: int) -> bool:
    with unit_of_work():
        now = timezone.now()
        if not claim_auto_close(resolution_id, now):
            return False
        ticket = _current(Resolution.objects.get(pk=resolution_id))
        if ticket is not None:
            try:
                change_status(ticket=ticket, actor=SYSTEM, status=Status.CLOSED)
            except KefuError:  # the lifecycle refused: the claim stands, nothing else changes
                return True
    return True


def sweep(now: datetime) -> int:
    reminders = _reminders().filter(remind_at__lte=now).order_by("remind_at")
    closes = _waiting().filter(close_at__lte=now).order_by("close_at")
    done = sum(remind(pk) for pk in list(reminders.values_list("pk", flat=True)[:BATCH]))
    return done + sum(auto_close(pk) for pk in list(closes.values_list("pk", flat=True)[:BATCH]))


SWEEPER = Sweeper(name="resolution-window", run=sweep, next_due=next_due, max_sleep=30.0)
