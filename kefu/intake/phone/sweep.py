"""Callback tasks past due: the worker tells the people who can act (the ticket's assignee and
the on-duty lead; every lead for a call that left no ticket), once per task.

A task is claimed with a conditional UPDATE (``overdue_at`` still empty, not done), so any number
of workers report it once; the notification is written in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet

from kefu.accounts.models import Agent
from kefu.escalation.queries import leads, on_duty_lead
from kefu.intake.phone.models import CallbackTask
from kefu.jobs.sweepers import Sweeper
from kefu.notifications.actions import notify
from kefu.notifications.models import Kind

BATCH = 100
# The notification's "metric", in both languages (``notifications.texts`` picks the reader's).
CALLBACK = {"en": "the callback", "zh": "回电"}


def _pending() -> QuerySet[CallbackTask]:
    return CallbackTask.objects.filter(done_at=None, overdue_at=None)


def next_due() -> datetime | None:
    return _pending().order_by("due_at").values_list("due_at", flat=True).first()


def _recipients(task: CallbackTask) -> list[Agent | None]:
    ticket = task.ticket
    if ticket is None:
        return list(leads())
    return [ticket.assignee, on_duty_lead(ticket)]


def report_overdue(task_id: int, now: datetime) -> bool:
    with transaction.atomic():
        if not _pending().filter(pk=task_id, due_at__lte=now).update(overdue_at=now):
            return False  # another worker reported it, or someone called back meanwhile
        task = CallbackTask.objects.select_related("ticket__assignee__user", "ticket__team").get(
            pk=task_id
        )
        number = task.ticket.number if task.ticket else task.number
        params = {"number": number, "metric": CALLBACK, "due": task.due_at.isoformat()}
        notify(_recipients(task), Kind.SLA_BREACH, ticket=task.ticket, params=params)
    return True


def sweep(now: datetime) -> int:
    due = _pending().filter(due_at__lte=now).order_by("due_at").values_list("pk", flat=True)
    return sum(report_overdue(pk, now) for pk in list(due[:BATCH]))


SWEEPER = Sweeper(name="phone-callbacks", run=sweep, next_due=next_due, max_sleep=30.0)
