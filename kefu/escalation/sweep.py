"""The QA timer: a review task past its due instant is reported to QA once (like SLA clocks)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kefu.accounts.access import SYSTEM
from kefu.accounts.models import Agent
from kefu.escalation.actions import claim_overdue_review, notify, ticket_params
from kefu.escalation.models import Notification, QaReview
from kefu.jobs.sweepers import Sweeper
from kefu.tickets.actions import record_event

BATCH = 100


def _pending() -> QuerySet[QaReview]:
    return QaReview.objects.filter(state=QaReview.State.OPEN, overdue_at__isnull=True)


def next_due() -> datetime | None:
    return _pending().order_by("due_at").values_list("due_at", flat=True).first()


def report_overdue(review_id: int) -> bool:
    with transaction.atomic():
        now = timezone.now()
        if not claim_overdue_review(review_id, now):
            return False  # another worker reported it, or it was completed meanwhile
        review = QaReview.objects.select_related("ticket").get(pk=review_id)
        record_event(review.ticket, SYSTEM, "qa_overdue", new=review.pk, at=now)
        qa_staff = Agent.objects.filter(role=Agent.Role.QA, user__is_active=True)
        params = ticket_params(review.ticket, due=review.due_at.isoformat())
        notify(qa_staff.select_related("user"), Notification.Kind.QA_OVERDUE,
               ticket=review.ticket, params=params, email=True)  # fmt: skip
    return True


def sweep(now: datetime) -> int:
    due = _pending().filter(due_at__lte=now).order_by("due_at").values_list("pk", flat=True)
    return sum(report_overdue(pk) for pk in list(due[:BATCH]))


SWEEPER = Sweeper(name="qa-reviews", run=sweep, next_due=next_due, max_sleep=30.0)
