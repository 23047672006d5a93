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
from kefu.delivery.live import DESK, presence_group, ticket_group, user_group
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


def _agent_label(viewer: Viewer) -> dict[str, Any]:
    """How colleagues see this agent: their name, else their agent code."""
    assert viewer.user is not None and viewer.agent is not None
    name = (viewer.user.name or "").strip() or viewer.agent.code
    return {"id": viewer.user.pk, "name": name[:80], "code": viewer.agent.code}


class LiveConsumer(AsyncJsonWebsocketConsumer):
    viewer: Viewer | None = None

    async def connect(self) -> None:
        self.viewer = await db(_viewer, self.scope.get("user"))
        if self.viewer is None or self.viewer.user is None:
            await self.close(code=4401)
            return
        self.groups_joined: set[str] = set()
        self.present_on: dict[str, int] = {}  # ticket number → id, for presence announcements
        self.label = await db(_agent_label, self.viewer) if self.viewer.is_agent else None
        await self.accept()
        await self._join(user_group(self.viewer.user.pk))
        if self.viewer.is_agent:
            await self._join(DESK)

    async def _join(self, group: str) -> None:
        await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined.add(group)

    async def disconnect(self, code: int) -> None:
        for number, ticket_id in getattr(self, "present_on", {}).items():
            await self._announce(number, ticket_id, "left", typing=False)
        for group in getattr(self, "groups_joined", set()):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind not in ("watch", "presence"):
            await self.send_json({"type": "error", "detail": "unknown type"})
            return
        if json_problems(content):  # NUL or a lone surrogate: no such ticket
            await self.send_json({"type": "error", "detail": "not found"})
            return
        number = str(content.get("ticket", ""))[:24]
        if kind == "presence":
            await self._presence(number, content)
            return
        assert self.viewer is not None
        ticket_id = await db(_visible_ticket_id, self.viewer, number)
        if ticket_id is None or len(self.groups_joined) >= 2 * MAX_WATCHED + 2:
            await self.send_json({"type": "error", "detail": "not found", "ticket": number})
            return
        await self._join(ticket_group(ticket_id))
        if content.get("presence") is True and self.label is not None:
            await self._join(presence_group(ticket_id))
            self.present_on[number] = ticket_id
            await self._announce(number, ticket_id, "here", typing=False, hello=True)
        await self.send_json({"type": "watching", "ticket": number})

    async def _presence(self, number: str, content: dict[str, Any]) -> None:
        """An announcement for a ticket this socket watches with presence; anything else is
        dropped without a word (no hint whether the ticket exists)."""
        ticket_id = self.present_on.get(number)
        if ticket_id is None:
            return
        await self._announce(
            number, ticket_id, "here", typing=content.get("typing") is True,
            hello=False,
        )  # fmt: skip

    async def _announce(
        self, number: str, ticket_id: int, state: str, *, typing: bool, hello: bool = False
    ) -> None:
        payload = {
            "type": "presence",
            "ticket": number,
            "state": state,
            "typing": typing,
            "hello": hello,
            "agent": self.label,
        }
        await self.channel_layer.group_send(
            presence_group(ticket_id),
            {"type": "live.presence", "payload": payload, "sender": self.channel_name},
        )

    async def live_presence(self, event: dict[str, Any]) -> None:
        """A colleague's announcement; never echoed to the sender's own socket."""
        if event.get("sender") == self.channel_name:
            return
        await self.send_json(event["payload"])

    async def live_push(self, event: dict[str, Any]) -> None:
        await self.send_json(event["payload"])
