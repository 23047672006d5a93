"""The QA timer: a review task past its due instant is reported to QA once (like SLA clocks)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from kefu.accounts.access import SYSTEM
from kefu.accounts.models import Agent
from kefu.escalation.actions import claim_overdue_review, ticket_params
from kefu.escalation.models import QaReview
from kefu.jobs.sweepers import Sweeper
from kefu.notifications.actions import notify
from kefu.notifications.models import Kind
from kefu.tickets.actions import record_event
from kefu.tickets.models import EventKind
from kefu.tickets.work import unit_of_work

BATCH = 100


def _pending() -> QuerySet[QaReview]:
    return QaReview.objects.filter(state=QaReview.State.OPEN, overdue_at__isnull=True)


def next_due() -> datetime | None:
    return _pending().order_by("due_at").values_list("due_at", flat=True).first()


def report_overdue(review_id: int) -> bool:
    with unit_of_work():
        now = timezone.now()
        if not claim_overdue_review(review_id, now):
            return False  # another worker reported it, or it was completed meanwhile
        review = QaReview.objects.select_related("ticket").get(pk=review_id)
        record_event(review.ticket, SYSTEM, EventKind.QA_OVERDUE, new=review.pk, at=now)
        qa_staff = Agent.objects.filter(role=Agent.Role.QA, user__is_active=True)
        params = ticket_params(review.ticket, due=review.due_at.isoformat())
        notify(qa_staff.select_related("user"), Kind.QA_OVERDUE,
               ticket=review.ticket, params=params, email=True)  # fmt: skip
    return True


def sweep(now: datetime) -> int:
    due = _pending().filter(due_at__lte=now).order_by("due_at").values_list("pk", flat=True)
    return sum(report_overdue(pk) for pk in list(due[:BATCH]))


SWEEPER = Sweeper(name="qa-reviews", run=sweep, next_due=next_due, max_sleep=30.0)
