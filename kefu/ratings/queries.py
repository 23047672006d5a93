"""Reads of ratings and resolution windows. Callers pass a ticket they already read through
``tickets.queries.get_ticket`` (scoped by organisation and role), so what is read here is of a
ticket its viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from kefu.accounts.access import Viewer
from kefu.ratings.actions import CHANGE_DAYS, RATEABLE
from kefu.ratings.models import Rating, Resolution
from kefu.tickets.models import OPEN_STATUSES, Ticket
from kefu.tickets.queries import customer_tickets, visible_tickets

HISTORY = 10


def ratings_of(ticket: Ticket) -> list[Rating]:
    """Every rating of the ticket, of its resolutions and its chats alike, newest first."""
    return list(Rating.objects.filter(ticket=ticket).select_related("resolution", "chat"))


@dataclass(frozen=True)
class RatingState:
    """What the portal offers: rate this resolution, change the rating, or nothing."""

    rating: Rating | None
    may_rate: bool
    changeable_until: datetime | None


def rating_state(viewer: Viewer, ticket: Ticket) -> RatingState:
    if not viewer.is_customer or ticket.status not in RATEABLE or ticket.resolved_at is None:
        return RatingState(None, False, None)
    rating = Rating.objects.filter(
        resolution__ticket=ticket, resolution__resolved_at=ticket.resolved_at
    ).first()
    if rating is None:
        return RatingState(None, True, None)
    until = rating.created_at + timedelta(days=CHANGE_DAYS)
    return RatingState(rating, timezone.now() <= until, until)


def rated_by_link(ticket: Ticket) -> Rating | None:
    """The rating of the ticket's present resolution: a rating link is spent once it exists."""
    if ticket.resolved_at is None:
        return None
    return Rating.objects.filter(
        resolution__ticket=ticket, resolution__resolved_at=ticket.resolved_at
    ).first()


def with_last_rating(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """Each ticket with its latest rating, of a resolution or a chat (``last_rating``,
    ``last_rating_comment``; None when not rated)."""
    latest = Rating.objects.filter(ticket=OuterRef("pk")).order_by("-created_at", "-pk")
    return tickets.annotate(
        last_rating=Subquery(latest.values("score")[:1]),
        last_rating_comment=Subquery(latest.values("comment")[:1]),
    )


def customer_history(viewer: Viewer, ticket: Ticket) -> tuple[list[Ticket], list[Ticket]]:
    """The requester's other tickets the viewer may see, still open and done, newest first,
    each with its latest rating (two bounded queries)."""
    others = with_last_rating(customer_tickets(viewer, ticket)).order_by("-created_at", "-id")
    still_open = list(others.filter(status__in=OPEN_STATUSES)[:HISTORY])
    done = list(others.exclude(status__in=OPEN_STATUSES)[:HISTORY])
    return still_open, done


def customer_ratings(viewer: Viewer, ticket: Ticket) -> list[Rating]:
    """The requester's ratings on the tickets the viewer may see, this one included, newest
    first."""
    rated = visible_tickets(viewer).filter(requester_id=ticket.requester_id)
    ratings = Rating.objects.filter(ticket__in=rated).select_related("ticket", "resolution")
    return list(ratings.order_by("-created_at", "-pk")[:HISTORY])


def window_of(ticket: Ticket) -> Resolution | None:
    """The ticket's waiting resolution window, if it is resolved and waiting."""
    if ticket.resolved_at is None:
        return None
    return Resolution.objects.filter(
        ticket=ticket, resolved_at=ticket.resolved_at, state=Resolution.State.WAITING
    ).first()
