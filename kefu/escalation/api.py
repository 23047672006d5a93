"""``/api/v1``: the customer's nudge and complaint."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from kefu.accounts.access import request_viewer
from kefu.escalation import actions, queries
from kefu.escalation.schemas import (
    ComplaintCreate,
    ComplaintOut,
    NudgeOut,
)
from kefu.schemas import errors
from kefu.tickets import queries as ticket_queries
from kefu.tickets.models import Channel

router = Router(tags=["escalation"])


@router.post(
    "/tickets/{number}/nudge",
    response={201: NudgeOut, **errors(403, 409)},
    summary="Nudge a ticket (催办)",
)
def nudge(request: HttpRequest, number: str) -> Status:
    viewer = request_viewer(request)
    ticket = ticket_queries.get_ticket(viewer, number)
    done = actions.nudge_ticket(ticket=ticket, actor=viewer)
    next_at = done.created_at + queries.NUDGE_EVERY
    return Status(201, NudgeOut(ticket=number, nudged_at=done.created_at, next_nudge_at=next_at))


@router.post(
    "/tickets/{number}/complaint",
    response={201: ComplaintOut, **errors(403, 409)},
    summary="File a formal complaint",
)
def complaint(request: HttpRequest, number: str, payload: ComplaintCreate) -> Status:
    viewer = request_viewer(request)
    ticket = ticket_queries.get_ticket(viewer, number)
    filed = actions.file_complaint(
        ticket=ticket,
        actor=viewer,
        reason=payload.reason,
        about_agent=payload.about_agent,
        channel=Channel.API,
    )
    return Status(201, ComplaintOut(ticket=number, complaint=filed.number, status=filed.status))
