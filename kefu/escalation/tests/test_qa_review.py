"""QA review tasks: due in 2 working days, reported once when overdue, closed by QA."""

from datetime import datetime

import pytest

from kefu.escalation import sweep
from kefu.escalation.actions import complete_qa_review, open_qa_review
from kefu.escalation.models import QaReview
from kefu.notifications.models import Notification
from kefu.testing import make_ticket
from kefu.tickets.models import TicketEvent

from .conftest import SHANGHAI


def shanghai(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=SHANGHAI)


@pytest.mark.django_db
def test_a_review_is_due_in_two_working_days_and_qa_is_told(personas, frozen):
    ticket = make_ticket(personas.anna)
    frozen.set(shanghai(11, 27, 16))  # Friday 16:00
    review = open_qa_review(
        ticket, "Unsatisfied rating: rude", agent=personas.alice.agent, source="rating"
    )
    assert review.due_at == shanghai(12, 1, 16)  # Tuesday: the weekend does not count
    assert Notification.objects.get(kind="qa_review").recipient == personas.quinn
    assert TicketEvent.objects.filter(ticket=ticket, kind="qa_review").exists()
    by_email = open_qa_review(ticket, "complaint@ mail", working_days=3)
    assert by_email.due_at == shanghai(12, 2, 16)


@pytest.mark.django_db
def test_an_overdue_review_is_reported_once(personas, frozen):
    ticket = make_ticket(personas.anna)
    review = open_qa_review(ticket, "Complaint about A0001")
    assert sweep.next_due() == review.due_at
    assert sweep.sweep(frozen.now) == 0
    frozen.set(review.due_at)
    assert sweep.sweep(frozen.now) == 1
    assert sweep.sweep(frozen.now) == 0
    review.refresh_from_db()
    assert review.overdue_at == review.due_at
    assert Notification.objects.filter(kind="qa_overdue", recipient=personas.quinn).count() == 1
    assert sweep.next_due() is None


@pytest.mark.django_db
def test_a_completed_review_is_never_reported(personas, frozen):
    review = open_qa_review(make_ticket(personas.anna), "Complaint about A0001")
    complete_qa_review(review=review, actor=personas.viewer(personas.quinn), outcome="Coached.")
    frozen.set(review.due_at)
    assert sweep.sweep(frozen.now) == 0
    done = QaReview.objects.get()
    assert (done.state, done.reviewer, done.outcome) == ("done", personas.quinn.agent, "Coached.")
