"""``/ws/live/``: the socket through which open pages hear that what they show has changed.

A signed-in person joins their own group (notifications, their tickets); agents also join the
desk's (queue changes). A page asks to ``watch`` one ticket; it joins that ticket's group only
if its user may see the ticket — the same check as the page itself. Pushes carry no content.
"""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth.models import AnonymousUser

from kefu.accounts.access import Viewer, viewer_for
from kefu.delivery.live import DESK, ticket_group, user_group
from kefu.errors import NotFound
from kefu.input_guard import json_problems
from kefu.intake.chat.consumers import db
from kefu.tickets import queries

MAX_WATCHED = 20


def _viewer(user: Any) -> Viewer | None:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return None
    return viewer_for(user)


def _visible_ticket_id(viewer: Viewer, number: str) -> int | None:
    try:
        return queries.get_ticket(viewer, number).pk
    except NotFound:
        return None


class LiveConsumer(AsyncJsonWebsocketConsumer):
    viewer: Viewer | None = None

    async def connect(self) -> None:
        self.viewer = await db(_viewer, self.scope.get("user"))
        if self.viewer is None or self.viewer.user is None:
            await self.close(code=4401)
            return
        self.groups_joined: set[str] = set()
        await self.accept()
        await self._join(user_group(self.viewer.user.pk))
        if self.viewer.is_agent:
            await self._join(DESK)

    async def _join(self, group: str) -> None:
        await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined.add(group)

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", set()):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict) or content.get("type") != "watch":
            await self.send_json({"type": "error", "detail": "unknown type"})
            return
        if json_problems(content):  # NUL or a lone surrogate: no such ticket
            await self.send_json({"type": "error", "detail": "not found"})
            return
        number = str(content.get("ticket", ""))[:24]
        assert self.viewer is not None
        ticket_id = await db(_visible_ticket_id, self.viewer, number)
        if ticket_id is None or len(self.groups_joined) >= MAX_WATCHED + 2:
            await self.send_json({"type": "error", "detail": "not found", "ticket": number})
            return
        await self._join(ticket_group(ticket_id))
        await self.send_json({"type": "watching", "ticket": number})

    async def live_push(self, event: dict[str, Any]) -> None:
        await self.send_json(event["payload"])
