"""Live push: open pages learn within a second that something they show has changed.

A push says only *what* changed (a ticket's number and the kinds of change, "your
notifications"), never the content: the page re-reads it through its own access checks, so a
push can neither leak nor be trusted, and a lost one costs nothing but a late refresh. Pages
subscribe through ``LiveConsumer`` (``/ws/live/``), which checks that the user may see what they
ask to watch. Groups: ``live.desk`` (every agent's queue), ``live.ticket.<id>`` (pages showing
that ticket), ``live.user.<id>`` (one person: notifications, their own tickets).

Pushes are sent on the server's event loop when this process serves pages (the only place an
in-memory channel layer reaches); with Redis they reach every process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from kefu.tickets.models import Ticket, TicketEvent

log = logging.getLogger("kefu.live")
DESK = "live.desk"

_server_loop: asyncio.AbstractEventLoop | None = None


def note_server_loop() -> None:
    """Called by the ASGI application: pushes from any thread go through this loop."""
    global _server_loop
    _server_loop = asyncio.get_running_loop()


def ticket_group(ticket_id: int) -> str:
    return f"live.ticket.{ticket_id}"


def user_group(user_id: int) -> str:
    return f"live.user.{user_id}"


def send(groups: Iterable[str], payload: dict[str, Any], handler: str = "live.push") -> None:
    """Fire and forget: the caller's change is committed, the push is a hint. ``handler`` names
    the consumers' method that relays it (``live.push``; ``chat.line`` for chats)."""
    layer = get_channel_layer()
    if layer is None:
        return
    loop = _server_loop if _server_loop is not None and _server_loop.is_running() else None
    message = {"type": handler, "payload": payload, "sender": ""}
    for group in groups:
        if loop is not None:
            asyncio.run_coroutine_threadsafe(layer.group_send(group, message), loop)
        else:
            async_to_sync(layer.group_send)(group, message)


def push_ticket_change(ticket: Ticket, events: list[TicketEvent]) -> None:
    """After commit: the ticket's pages, every desk queue and the requester's portal."""
    kinds = sorted({str(e.kind) for e in events})
    payload = {"type": "ticket", "number": ticket.number, "kinds": kinds}
    send([ticket_group(ticket.pk), DESK, user_group(ticket.requester_id)], payload)


def push_notifications(user_ids: Iterable[int]) -> None:
    send([user_group(pk) for pk in set(user_ids)], {"type": "notifications"})
