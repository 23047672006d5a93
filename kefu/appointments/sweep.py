"""The confirmation timer of offline bookings: when one working day is left, the ticket's agent
(or its team) is warned; when the 2 working days are up, they and the team lead are told it is
overdue. A confirmed visit's customer is mailed a reminder the day before (``remind_at``), and a
confirmed visit nobody recorded an arrival for is marked a no-show ``NO_SHOW_HOURS`` after its
slot (``no_show_due_at``). Each booking is claimed with a conditional UPDATE, so each message
goes out once and each visit is marked once."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Min, Q, QuerySet

from kefu.accounts.models import Agent
from kefu.appointments import actions
from kefu.appointments.models import Booking, BookingStatus
from kefu.jobs.sweepers import Sweeper
from kefu.notifications.actions import notify
from kefu.notifications.models import Kind
from kefu.tickets.models import Ticket
from kefu.tickets.work import unit_of_work

BATCH = 100
METRIC = {"en": "confirmation of the offline visit", "zh": "线下服务预约的确认"}


def _waiting() -> QuerySet[Booking]:
    return Booking.objects.filter(status=BookingStatus.REQUESTED)


def _confirmed() -> QuerySet[Booking]:
    return Booking.objects.filter(status=BookingStatus.CONFIRMED)


def next_due() -> datetime | None:
    warn = _waiting().filter(warned_at__isnull=True).aggregate(at=Min("warn_at"))["at"]
    breach = _waiting().filter(breached_at__isnull=True).aggregate(at=Min("confirm_due_at"))["at"]
    remind = _confirmed().filter(reminded_at__isnull=True).aggregate(at=Min("remind_at"))["at"]
    no_show = _confirmed().aggregate(at=Min("no_show_due_at"))["at"]
    due = [at for at in (warn, breach, remind, no_show) if at is not None]
    return min(due) if due else None


def _people(ticket: Ticket, *, lead: bool) -> list[Agent]:
    """The ticket's agent, or its team when nobody has it; the team lead too on a breach."""
    people = [ticket.assignee] if ticket.assignee else []
    if not people and ticket.team_id:
        people = list(Agent.objects.filter(teams=ticket.team_id, user__is_active=True))
    if lead and ticket.team_id and ticket.team and ticket.team.lead:
        people.append(ticket.team.lead)
    return people


def _tell(booking_id: int, kind: Kind) -> None:
    booking = Booking.objects.select_related("ticket__assignee__user", "ticket__team__lead__user")
    found = booking.get(pk=booking_id)
    ticket = found.ticket
    params = {"number": ticket.number, "metric": METRIC, "due": found.confirm_due_at.isoformat()}
    people = _people(ticket, lead=kind == Kind.SLA_BREACH)
    notify(people, kind, ticket=ticket, params=params, email=kind == Kind.SLA_BREACH)


def sweep(now: datetime) -> int:
    handled = 0
    waiting = _waiting().order_by("confirm_due_at")
    breached = waiting.filter(breached_at__isnull=True, confirm_due_at__lte=now)
    for pk in list(breached.values_list("pk", flat=True)[:BATCH]):
        with unit_of_work():
            if actions.claim_breach(pk, now):
                _tell(pk, Kind.SLA_BREACH)
                handled += 1
    warned = waiting.filter(Q(warned_at__isnull=True), warn_at__lte=now)
    for pk in list(warned.values_list("pk", flat=True)[:BATCH]):
        with unit_of_work():
            if actions.claim_warning(pk, now):
                _tell(pk, Kind.SLA_WARNING)
                handled += 1
    return handled + _sweep_visits(now)


def _sweep_visits(now: datetime) -> int:
    handled = 0
    reminders = _confirmed().filter(reminded_at__isnull=True, remind_at__lte=now)
    for pk in list(reminders.order_by("remind_at").values_list("pk", flat=True)[:BATCH]):
        with unit_of_work():
            if actions.claim_reminder(pk, now):
                actions.send_reminder(pk)
                handled += 1
    missed = _confirmed().filter(arrived_at__isnull=True, no_show_due_at__lte=now)
    for pk in list(missed.order_by("no_show_due_at").values_list("pk", flat=True)[:BATCH]):
        with unit_of_work():
            if actions.claim_no_show(pk, now):
                handled += 1
    return handled


SWEEPER = Sweeper(name="appointments", run=sweep, next_due=next_due, max_sleep=60.0)
