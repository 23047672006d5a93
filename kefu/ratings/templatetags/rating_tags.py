"""``{% load rating_tags %}``: ratings on the portal's ticket page and in the workspace."""

from __future__ import annotations

from typing import Any

from django import template

from kefu.accounts.access import viewer_for
from kefu.ratings import queries
from kefu.ratings.models import Score
from kefu.tickets.models import Ticket

register = template.Library()


@register.simple_tag(takes_context=True)
def rating_state(context: dict[str, Any], ticket: Ticket) -> dict[str, Any]:
    """The customer's rating of the present resolution, and whether they may give or change it."""
    state = queries.rating_state(viewer_for(context["request"].user), ticket)
    return {
        "rating": state.rating,
        "may_rate": state.may_rate,
        "changeable_until": state.changeable_until,
        "scores": Score.choices,
        "window": queries.window_of(ticket),
    }


@register.filter
def score_label(score: str | None) -> str:
    """满意 / 一般 / 不满意 in the reader's language."""
    return str(Score(score).label) if score in Score.values else ""


@register.simple_tag
def desk_ratings(ticket: Ticket) -> dict[str, Any]:
    """The ticket's ratings (resolutions and chats alike); the customer's other tickets are on
    the customer panel (``{% customer_panel %}``)."""
    return {"ratings": queries.ratings_of(ticket), "window": queries.window_of(ticket)}
