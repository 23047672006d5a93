"""An unsatisfied rating — of a ticket or a chat, new or changed to it — opens one QA review of
the agent who handled it and tells the team lead (in the workspace and by mail); other scores
do neither. Ticket and chat ratings are kept and shown alike."""

import pytest

from kefu.delivery.models import Delivery
from kefu.escalation.models import QaReview
from kefu.intake.chat import service
from kefu.intake.models import ChatSession
from kefu.notifications.models import Notification
from kefu.ratings import actions
from kefu.ratings.models import Rating
from kefu.ratings.queries import ratings_of
from kefu.testing import make_ticket

from .conftest import resolve


def rate(personas, ticket, score, comment=""):  # type: ignore[no-untyped-def]
    return actions.rate_ticket(ticket=ticket, actor=personas.viewer(personas.anna), score=score,
                               comment=comment, via=Rating.Via.PORTAL)  # fmt: skip


@pytest.mark.django_db
def test_unsatisfied_opens_a_review_of_the_agent_and_tells_the_team_lead(personas):
    ticket = resolve(personas)
    rate(personas, ticket, "unsatisfied", "Nobody read my message")
    review = QaReview.objects.get()
    assert (review.ticket, review.agent, review.source) == (ticket, personas.alice.agent, "rating")
    assert review.reason == "Nobody read my message"
    told = Notification.objects.get(kind="unsatisfied")
    assert told.recipient == personas.lena and told.params["comment"] == "Nobody read my message"
    assert Delivery.objects.filter(to=[personas.lena.email], text__contains=ticket.number).exists()
    rate(personas, ticket, "unsatisfied", "Still bad")  # a change of comment: no second review
    assert QaReview.objects.count() == 1


@pytest.mark.django_db
def test_other_scores_open_nothing_until_changed_to_unsatisfied(personas):
    ticket = resolve(personas)
    rate(personas, ticket, "satisfied")
    rate(personas, ticket, "neutral")
    assert not QaReview.objects.exists() and not Notification.objects.filter(kind="unsatisfied")
    rate(personas, ticket, "unsatisfied")
    assert QaReview.objects.count() == 1


@pytest.mark.django_db
def test_a_chat_rating_takes_the_same_path_and_shows_alike(personas):
    ticket = make_ticket(personas.anna, channel="chat")
    session = ChatSession.objects.create(token="chat-1", ticket=ticket, visitor=personas.anna,
                                         agent=personas.bob.agent)  # fmt: skip
    service.rate(session, "unsatisfied", "rude")
    review = QaReview.objects.get()
    assert review.agent == personas.bob.agent and review.reason == "rude"
    [shown] = ratings_of(ticket)
    assert (shown.score, shown.comment, shown.via, shown.chat) == ("unsatisfied", "rude", "chat",
                                                                   session)  # fmt: skip
    session.refresh_from_db()
    assert (session.rating, session.rating_comment) == ("unsatisfied", "rude")
    service.rate(session, "neutral", "")  # changed at the end of the chat: still one rating
    assert Rating.objects.get().score == "neutral" and QaReview.objects.count() == 1
