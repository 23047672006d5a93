"""The QA workspace's writes: scoring a review on the rubric, the agent's acknowledgement or
single appeal, QA's answer to it, reviews opened by complaint mail naming an agent id, and the
weekly random sample per agent. Reviews themselves are opened by ``actions.open_qa_review``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from datetime import datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.access import Viewer
from kefu.accounts.models import Agent
from kefu.errors import Forbidden, Invalid, InvalidTransition
from kefu.escalation.actions import open_qa_review, ticket_params
from kefu.escalation.models import QaCriterion, QaReview, QaRubric, QaSettings
from kefu.notifications.actions import notify
from kefu.notifications.models import Kind
from kefu.ratings.models import Score
from kefu.tickets import actions as ticket_actions
from kefu.tickets.models import EventKind, Status, Ticket, TicketEvent
from kefu.tickets.work import atomic_unit, created_here

EMAIL_COMPLAINT_WORKING_DAYS = 3
# Agent ids as Kefu issues them (A1024, L0001, Q0001): letters then digits, a word of its own.
AGENT_ID = re.compile(r"(?<![A-Za-z0-9])([A-Z]{1,3}\d{3,5})(?![A-Za-z0-9])")


def is_qa(viewer: Viewer) -> bool:
    return viewer.is_admin or bool(viewer.agent and viewer.agent.role == Agent.Role.QA)


def active_rubric() -> QaRubric | None:
    return QaRubric.objects.filter(is_active=True).prefetch_related("criteria").first()


def _checked_scores(rubric: QaRubric, scores: Mapping[str, int]) -> dict[str, int]:
    criteria: dict[str, QaCriterion] = {c.code: c for c in rubric.criteria.all()}
    unknown = set(scores) - set(criteria)
    if unknown:
        raise Invalid(_("Unknown criterion: %(c)s.") % {"c": ", ".join(sorted(unknown))},
                      field="scores")  # fmt: skip
    checked = {}
    for code, criterion in criteria.items():
        points = scores.get(code)
        if points is None or not 0 <= int(points) <= criterion.max_points:
            raise Invalid(
                _("Score %(name)s from 0 to %(max)s.")
                % {"name": criterion.label, "max": criterion.max_points},
                field=f"scores.{code}",
            )
        checked[code] = int(points)
    return checked


@atomic_unit
def score_review(
    *, review: QaReview, actor: Viewer, scores: Mapping[str, int], outcome: str, feedback: str
) -> QaReview:
    """QA scores the review on the active rubric and completes it; the agent is told."""
    if not is_qa(actor):
        raise Forbidden(_("Only QA may score reviews."))
    if review.state == QaReview.State.DONE and review.appeal_state != QaReview.Appeal.OPEN:
        raise InvalidTransition(_("This review is already done."))
    rubric = review.rubric or active_rubric()
    if rubric is None:
        raise InvalidTransition(_("No QA rubric is defined yet; an administrator sets one up."))
    checked = _checked_scores(rubric, scores)
    total = sum(c.max_points for c in rubric.criteria.all())
    review.rubric, review.scores = rubric, checked
    review.score = round(100 * sum(checked.values()) / total, 1) if total else None
    review.outcome, review.feedback = outcome.strip()[:5000], feedback.strip()[:5000]
    review.state, review.reviewer = QaReview.State.DONE, actor.agent
    review.completed_at = review.completed_at or timezone.now()
    review.save()
    ticket_actions.record_event(review.ticket, actor, EventKind.QA_REVIEW_DONE, new=review.pk,
                                data={"score": review.score})  # fmt: skip
    notify([review.agent], Kind.QA_RESULT, ticket=review.ticket,
           params=ticket_params(review.ticket, score=review.score))  # fmt: skip
    return review


def _concerned(review: QaReview, actor: Viewer) -> None:
    if actor.agent is None or review.agent_id != actor.agent.pk:
        raise Forbidden(_("Only the agent concerned may answer this review."))
    if review.state != QaReview.State.DONE:
        raise InvalidTransition(_("This review has no result yet."))


def acknowledge(*, review: QaReview, actor: Viewer) -> QaReview:
    _concerned(review, actor)
    if review.acknowledged_at is None:
        review.acknowledged_at = timezone.now()
        review.save(update_fields=["acknowledged_at"])
    return review


def appeal(*, review: QaReview, actor: Viewer, reason: str) -> QaReview:
    """The agent disagrees: once per review, with a reason; QA is told."""
    _concerned(review, actor)
    if review.appeal_state:
        raise InvalidTransition(_("A review may be appealed only once."))
    if not reason.strip():
        raise Invalid(_("Say why you appeal."), field="reason")
    review.appeal_state, review.appeal_reason = QaReview.Appeal.OPEN, reason.strip()[:5000]
    review.appealed_at = timezone.now()
    review.save(update_fields=["appeal_state", "appeal_reason", "appealed_at"])
    qa_staff = Agent.objects.filter(role=Agent.Role.QA, user__is_active=True).select_related("user")
    params = ticket_params(review.ticket, agent=review.agent.code if review.agent else "—")
    notify([review.reviewer, *qa_staff], Kind.QA_APPEAL, ticket=review.ticket, params=params)
    return review


@atomic_unit
def answer_appeal(
    *, review: QaReview, actor: Viewer, overturn: bool, answer: str,
    scores: Mapping[str, int] | None = None,
) -> QaReview:  # fmt: skip
    """QA upholds the result, or overturns it with a new scorecard."""
    if not is_qa(actor):
        raise Forbidden(_("Only QA may answer appeals."))
    if review.appeal_state != QaReview.Appeal.OPEN:
        raise InvalidTransition(_("This review has no open appeal."))
    if overturn:
        score_review(review=review, actor=actor, scores=scores or review.scores,
                     outcome=review.outcome, feedback=review.feedback)  # fmt: skip
    review.appeal_state = QaReview.Appeal.OVERTURNED if overturn else QaReview.Appeal.UPHELD
    review.appeal_answer = answer.strip()[:5000]
    review.save(update_fields=["appeal_state", "appeal_answer"])
    if not overturn:
        notify([review.agent], Kind.QA_RESULT, ticket=review.ticket,
               params=ticket_params(review.ticket, score=review.score))  # fmt: skip
    return review


# --- complaint mail naming an agent -------------------------------------------------------------


def named_agents(text: str) -> list[Agent]:
    codes = list(dict.fromkeys(AGENT_ID.findall(text)))
    found = {a.code: a for a in Agent.objects.filter(code__in=codes).select_related("user")}
    return [found[c] for c in codes if c in found]


def review_complaint_mail(ticket: Ticket) -> list[QaReview]:
    """A new ticket from the complaint mailbox: a review per agent id it names, due in 3
    working days (the charter's promise for complaint emails)."""
    if ticket.mailbox != "complaint":
        return []
    new = created_here(ticket.pk)
    text = " ".join([ticket.subject, *(m.body for m in (new.messages if new else []))])
    return [
        open_qa_review(ticket, text[:2000], agent=agent, source=QaReview.Source.COMPLAINT_MAIL,
                       working_days=EMAIL_COMPLAINT_WORKING_DAYS)
        for agent in named_agents(text)
    ]  # fmt: skip


def review_unsatisfied_rating(ticket: Ticket, event: TicketEvent) -> QaReview | None:
    """An unsatisfied rating (of a ticket or a chat, new or changed to it) opens a QA review of
    the agent who handled it, due in 2 working days, and tells the team's lead (by mail too)."""
    if event.new != Score.UNSATISFIED or event.old == Score.UNSATISFIED:
        return None
    from kefu.escalation.queries import on_duty_lead
    from kefu.intake.models import ChatSession

    chat_id = event.data.get("chat")
    chat = (
        ChatSession.objects.select_related("agent").filter(pk=chat_id).first() if chat_id else None
    )
    agent = chat.agent if chat is not None and chat.agent else ticket.assignee
    comment = str(event.data.get("comment") or "")
    what = _("unsatisfied chat rating") if chat is not None else _("unsatisfied ticket rating")
    review = open_qa_review(
        ticket, comment or str(what), agent=agent, source=QaReview.Source.RATING
    )
    lead = ticket.team.lead if ticket.team_id and ticket.team and ticket.team.lead else None
    notify([lead or on_duty_lead(ticket)], Kind.UNSATISFIED, ticket=ticket,
           params=ticket_params(ticket, comment=comment[:200] or "—"), email=True)  # fmt: skip
    return review


# --- the weekly random sample -------------------------------------------------------------------


def qa_settings() -> QaSettings:
    found = QaSettings.objects.order_by("pk").first()
    return found if found is not None else QaSettings.objects.create()


def week_start(at: datetime) -> datetime:
    from kefu.reports.facts import SHANGHAI

    local = at.astimezone(SHANGHAI)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, time(9), tzinfo=SHANGHAI)


def sample_week(*, now: datetime, rng: random.Random | None = None) -> list[QaReview]:
    """For each agent, ``sample_per_agent`` random tickets and chats they handled that were
    resolved or closed in the week before this one, not already under review."""
    rng = rng or random.SystemRandom()
    count = qa_settings().sample_per_agent
    end = week_start(now).replace(hour=0)
    start = end - timedelta(days=7)
    reviewed = QaReview.objects.filter(ticket=OuterRef("pk"))
    opened: list[QaReview] = []
    for agent in Agent.objects.filter(role=Agent.Role.AGENT, user__is_active=True):
        candidates = list(
            Ticket.objects.filter(assignee=agent, status__in=(Status.RESOLVED, Status.CLOSED))
            .filter(
                Q(resolved_at__gte=start, resolved_at__lt=end)
                | Q(resolved_at__isnull=True, closed_at__gte=start, closed_at__lt=end)
            )
            .exclude(Exists(reviewed))
            .values_list("pk", flat=True)
        )
        for pk in rng.sample(candidates, min(count, len(candidates))):
            ticket = Ticket.objects.get(pk=pk)
            opened.append(open_qa_review(ticket, str(_("Weekly random sample")), agent=agent,
                                         source=QaReview.Source.SAMPLE))  # fmt: skip
    return opened
