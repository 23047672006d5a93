"""``/api/v1``: the customer's nudge and complaint, and the staff's notifications."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from kefu.accounts.access import request_viewer
from kefu.accounts.models import Agent
from kefu.errors import Forbidden
from kefu.escalation import actions, queries
from kefu.escalation.schemas import (
    ComplaintCreate,
    ComplaintOut,
    NotificationOut,
    NudgeOut,
    ReadIn,
    ReadOut,
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


class InboxParams(Schema):
    unread: bool = False
    limit: int = Field(50, ge=1, le=200)


def _agent(request: HttpRequest) -> Agent:
    viewer = request_viewer(request)
    if viewer.agent is None:
        raise Forbidden(_("Notifications are for support staff."))
    return viewer.agent


@router.get(
    "/notifications",
    response={200: list[NotificationOut], **errors(403)},
    summary="My notifications",
)
def notifications(request: HttpRequest, params: Query[InboxParams]) -> list[NotificationOut]:
    found = queries.agent_notifications(_agent(request), unread_only=params.unread)
    return [NotificationOut.of(n) for n in found[: params.limit]]


@router.post(
    "/notifications/read",
    response={200: ReadOut, **errors(403)},
    summary="Mark my notifications read (all, or the ids given)",
)
def read_notifications(request: HttpRequest, payload: ReadIn) -> dict[str, int]:
    return {"marked": actions.mark_notifications_read(agent=_agent(request), ids=payload.ids)}
