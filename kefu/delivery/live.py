"""Live push: open pages learn within a second that something they show has changed.

A push says only *what* changed (a ticket's number and the kinds of change, "your
notifications"), never the content: the page re-reads it through its own access checks, so a
push can neither leak nor be trusted, and a lost one costs nothing but a late refresh. Pages
subscribe through ``LiveConsumer`` (``/ws/live/``), which checks that the user may see what they
ask to watch. Groups: ``live.desk`` (every agent's queue), ``live.ticket.<id>`` (pages showing
that ticket), ``live.user.<id>`` (one person: notifications, their own tickets),
``live.presence.<id>`` (agents on that ticket's desk page: collision detection, ``consumers``).

Pushes are sent on the server's event loop when this process serves pages (the only place an
in-memory channel layer reaches); with Redis they reach every process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

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


def presence_group(ticket_id: int) -> str:
    """Agents' desk pages showing that ticket: who is viewing and who is typing."""
    return f"live.presence.{ticket_id}"


def user_group(user_id: int) -> str:
    return f"live.user.{user_id}"


def _loop_here() -> asyncio.AbstractEventLoop | None:
    """The event loop this thread may send on: the server's, or the one whose consumer called
    into this thread (``sync_to_async``)."""
    if _server_loop is not None and _server_loop.is_running():
        return _server_loop
    return getattr(SyncToAsync.threadlocal, "main_event_loop", None)


def send(groups: Iterable[str], payload: dict[str, Any], handler: str = "live.push") -> None:
    """Fire and forget: the caller's change is committed, the push is a hint. ``handler`` names
    the consumers' method that relays it (``live.push``; ``chat.line`` for chats)."""
    layer = get_channel_layer()
    if layer is None:
        return
    message = {"type": handler, "payload": payload, "sender": ""}
    sending = _send_all(layer, list(groups), message)
    loop = _loop_here()
    if loop is not None:
        asyncio.run_coroutine_threadsafe(sending, loop)
    elif isinstance(layer, InMemoryChannelLayer):
        sending.close()  # no socket of this process can hear it (a worker, a script)
    else:
        async_to_sync(lambda: sending)()  # Redis: sockets of other processes can


async def _send_all(layer: Any, groups: list[str], message: dict[str, Any]) -> None:
    for group in groups:
        await layer.group_send(group, message)


def push_ticket_change(ticket: Ticket, events: list[TicketEvent]) -> None:
    """After commit: the ticket's pages, every desk queue and the requester's portal."""
    kinds = sorted({str(e.kind) for e in events})
    payload = {"type": "ticket", "number": ticket.number, "kinds": kinds}
    send([ticket_group(ticket.pk), DESK, user_group(ticket.requester_id)], payload)


def push_notifications(user_ids: Iterable[int]) -> None:
    send([user_group(pk) for pk in set(user_ids)], {"type": "notifications"})
