"""The QA workspace (no Django admin needed): the review queue with due warnings, a review's
scorecard, and the agent's side — their results, acknowledge or appeal once."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.errors import KefuError
from kefu.escalation import qa
from kefu.escalation.models import QaReview
from kefu.tickets.views.common import agent_required, flash_error

WARN_SHARE = 0.75  # a review past three quarters of its time is flagged "due soon"


def due_state(review: QaReview, now: Any) -> str:
    if review.state == QaReview.State.DONE:
        return "done"
    if review.due_at <= now:
        return "overdue"
    warn_at = review.created_at + (review.due_at - review.created_at) * WARN_SHARE
    return "soon" if now >= warn_at else "ok"


def _visible(request: HttpRequest) -> Any:
    viewer = request.viewer  # type: ignore[attr-defined]
    reviews = QaReview.objects.select_related("ticket", "agent", "reviewer").order_by("due_at")
    if qa.is_qa(viewer):
        return reviews
    return reviews.filter(agent=viewer.agent, state=QaReview.State.DONE)


@agent_required
def qa_queue(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    state = request.GET.get("state", "open") if qa.is_qa(viewer) else "done"
    reviews = _visible(request)
    if state in QaReview.State.values:
        reviews = reviews.filter(state=state)
    now = timezone.now()
    rows = [(r, due_state(r, now)) for r in reviews[:200]]
    return render(request, "escalation/qa_queue.html", {
        "rows": rows, "state": state, "is_qa": qa.is_qa(viewer), "tab": "qa",
        "soon": sum(1 for _, s in rows if s == "soon"),
        "overdue": sum(1 for _, s in rows if s == "overdue"),
    })  # fmt: skip


def _review(request: HttpRequest, review_id: int) -> QaReview:
    review = _visible(request).filter(pk=review_id).first()
    if review is None:
        raise Http404
    return review


@agent_required
def qa_review(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    viewer = request.viewer  # type: ignore[attr-defined]
    rubric = review.rubric or qa.active_rubric()
    criteria = list(rubric.criteria.all()) if rubric else []
    return render(request, "escalation/qa_review.html", {
        "review": review, "criteria": [(c, review.scores.get(c.code)) for c in criteria],
        "is_qa": qa.is_qa(viewer), "due": due_state(review, timezone.now()), "tab": "qa",
        "is_agent": viewer.agent is not None and review.agent_id == viewer.agent.pk,
    })  # fmt: skip


def _scores(request: HttpRequest) -> dict[str, int]:
    scores = {}
    for key, value in request.POST.items():
        if key.startswith("score_"):
            try:
                scores[key[6:]] = int(str(value))
            except ValueError:
                scores[key[6:]] = -1  # refused by the rubric check, with the criterion named
    return scores


@require_POST
@agent_required
def qa_act(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    viewer, action = request.viewer, request.POST.get("action", "")  # type: ignore[attr-defined]
    try:
        if action == "score":
            qa.score_review(review=review, actor=viewer, scores=_scores(request),
                            outcome=request.POST.get("outcome", ""),
                            feedback=request.POST.get("feedback", ""))  # fmt: skip
        elif action == "acknowledge":
            qa.acknowledge(review=review, actor=viewer)
        elif action == "appeal":
            qa.appeal(review=review, actor=viewer, reason=request.POST.get("reason", ""))
        elif action in ("uphold", "overturn"):
            qa.answer_appeal(review=review, actor=viewer, overturn=action == "overturn",
                             answer=request.POST.get("answer", ""),
                             scores=_scores(request) or None)  # fmt: skip
        else:
            raise Http404
    except KefuError as error:
        flash_error(request, error)
    else:
        messages.success(request, _("Saved."))
    return redirect("qa_review", review_id=review.pk)
