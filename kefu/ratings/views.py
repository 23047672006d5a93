"""The rating pages: the portal's form on a ticket, and the page behind the mail's signed rating
link (no sign-in; one use: once this resolution is rated the link shows the rating instead)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.errors import KefuError
from kefu.ratings import actions, queries
from kefu.ratings.models import Rating, Score
from kefu.tickets import queries as ticket_queries
from kefu.tickets.links import Link
from kefu.tickets.views.common import customer_required, flash_error


def _thanks(score: str) -> str:
    if score == Score.UNSATISFIED:
        return _("Thank you. We are sorry it did not go well: a supervisor will review the ticket.")
    return _("Thank you for your rating.")


@require_POST
@customer_required
def portal_rate(request: HttpRequest, number: str) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    ticket = ticket_queries.get_ticket(viewer, number)
    score = request.POST.get("score", "")
    try:
        comment = request.POST.get("comment", "")
        actions.rate_ticket(
            ticket=ticket, actor=viewer, score=score, comment=comment, via=Rating.Via.PORTAL
        )
    except KefuError as exc:
        flash_error(request, exc)
    else:
        messages.success(request, _thanks(score))
    return redirect("portal_ticket", number=number)


def rate_by_link(request: HttpRequest, link: Link) -> HttpResponse:
    """GET shows the choice (preselected from ``?score=``); POST records it, once."""
    ticket = link.ticket
    spent = queries.rated_by_link(ticket)
    chosen = request.POST.get("score") or request.GET.get("score", "")
    context = {"link": link, "scores": Score.choices, "chosen": chosen, "rating": spent}
    if spent is not None:
        return render(request, "ratings/rate_link.html", {**context, "spent": True}, status=409)
    if request.method == "POST":
        try:
            rating, _created = actions.rate_ticket(
                ticket=ticket, actor=link.viewer, score=chosen,
                comment=request.POST.get("comment", ""), via=Rating.Via.LINK,
            )  # fmt: skip
        except KefuError as error:
            context.update(error=error.message, comment=request.POST.get("comment", ""))
            return render(request, "ratings/rate_link.html", context, status=error.status)
        return render(request, "ratings/rate_link.html",
                      {**context, "rating": rating, "done": _thanks(rating.score)})  # fmt: skip
    return render(request, "ratings/rate_link.html", context)
