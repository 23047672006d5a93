"""The QA timer: a review task past its due instant is reported to QA once (like SLA clocks)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from kefu.accounts.access import SYSTEM
from kefu.accounts.models import Agent
from kefu.escalation.actions import claim_overdue_review, ticket_params
from kefu.escalation.models import QaReview, QaSettings
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


# --- the weekly random QA sample ---------------------------------------------------------------


def sample_due() -> datetime | None:
    from kefu.escalation.qa import qa_settings, week_start

    settings_row = qa_settings()
    if settings_row.next_sample_at is None:  # first run: the coming Monday 09:00
        first = week_start(timezone.now()) + timedelta(days=7)
        QaSettings.objects.filter(pk=settings_row.pk, next_sample_at__isnull=True).update(
            next_sample_at=first
        )
        return first
    return settings_row.next_sample_at


def sample(now: datetime) -> int:
    """Claim this week's sample with a conditional UPDATE (one worker wins), then draw it."""
    from kefu.escalation.qa import qa_settings, sample_week, week_start

    due = sample_due()
    if due is None or due > now:
        return 0
    following = week_start(now) + timedelta(days=7)
    row = qa_settings()
    if not QaSettings.objects.filter(pk=row.pk, next_sample_at=due).update(
        next_sample_at=following
    ):
        return 0
    with unit_of_work():
        return len(sample_week(now=now))


SAMPLE_SWEEPER = Sweeper(name="qa-sample", run=sample, next_due=sample_due, max_sleep=300.0)
