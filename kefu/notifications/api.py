"""``/api/v1/notifications``: my notifications, marking them read, and my preferences."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Body, Query, Router, Schema
from pydantic import Field

from kefu.notifications import actions, queries
from kefu.notifications.preferences import Channels
from kefu.notifications.schemas import ChannelsIO, InboxOut, NotificationOut, ReadIn, ReadOut

router = Router(tags=["notifications"])


class InboxParams(Schema):
    unread: bool = False
    limit: int = Field(50, ge=1, le=200)


@router.get("/notifications", response=InboxOut, summary="My notifications and unread count")
def inbox(request: HttpRequest, params: Query[InboxParams]) -> dict[str, Any]:
    user = request.user
    found = queries.inbox(user, unread_only=params.unread)  # type: ignore[arg-type]
    return {
        "unread": queries.unread_count(user),  # type: ignore[arg-type]
        "items": [NotificationOut.of(n) for n in found[: params.limit]],
    }


@router.post(
    "/notifications/read",
    response=ReadOut,
    summary="Mark my notifications read (all, or the ids given)",
)
def read(request: HttpRequest, payload: ReadIn) -> dict[str, int]:
    return {"marked": actions.mark_read(user=request.user, ids=payload.ids)}  # type: ignore[arg-type]


@router.get(
    "/notifications/preferences",
    response=dict[str, ChannelsIO],
    summary="What I am notified of, and how",
)
def get_preferences(request: HttpRequest) -> dict[str, Any]:
    chosen = queries.preferences(request.user)  # type: ignore[arg-type]
    return {
        kind: {"in_app": c.in_app, "email": c.email, "browser": c.browser}
        for kind, c in chosen.items()
    }


@router.put(
    "/notifications/preferences",
    response=dict[str, ChannelsIO],
    summary="Change what I am notified of (the kinds given)",
)
def put_preferences(request: HttpRequest, payload: Body[dict[str, ChannelsIO]]) -> dict[str, Any]:
    current = queries.preferences(request.user)  # type: ignore[arg-type]
    choices = {
        kind: Channels(c.in_app, c.email, _browser(c, current.get(kind)))
        for kind, c in payload.items()
    }
    actions.set_preferences(user=request.user, choices=choices)  # type: ignore[arg-type]
    return get_preferences(request)


def _browser(given: ChannelsIO, current: Channels | None) -> bool:
    """A client that does not know the browser choice (older ones) leaves it as it is."""
    if "browser" in given.model_fields_set or current is None:
        return given.browser
    return current.browser
