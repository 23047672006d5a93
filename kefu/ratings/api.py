"""``/api/v1/tickets/{number}/rating``: the customer rates the ticket's latest resolution."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from kefu.accounts.access import request_viewer
from kefu.ratings import actions
from kefu.ratings.models import Rating
from kefu.ratings.schemas import RatingCreate, RatingOut
from kefu.schemas import errors
from kefu.tickets import queries as ticket_queries

router = Router(tags=["ratings"])


@router.post(
    "/tickets/{number}/rating",
    response={200: RatingOut, 201: RatingOut, **errors(403, 409)},
    summary="Rate a resolved ticket (满意 / 一般 / 不满意)",
)
def rate(request: HttpRequest, number: str, payload: RatingCreate) -> Status:
    """201 with the new rating; 200 when it changes the rating of the same resolution (allowed
    for 7 days). 409 while the ticket is not resolved or closed, or once the rating is final."""
    viewer = request_viewer(request)
    ticket = ticket_queries.get_ticket(viewer, number)
    rating, created = actions.rate_ticket(
        ticket=ticket, actor=viewer, score=payload.score, comment=payload.comment,
        via=Rating.Via.API,
    )  # fmt: skip
    return Status(201 if created else 200, RatingOut.from_orm(rating))
