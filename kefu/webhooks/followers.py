"""Which webhook calls a ticket's change makes (listed in ``kefu.flow``).

Each subscriber gets the events it chose, for the tickets its owner may see: one call per event,
and one ``ticket.updated`` per round of changes (status and field edits together, each with its
old and new value). Subscriptions are read per process (``ProcessCache``): a change costs no
query when nobody subscribes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kefu.accounts.access import USER_PROFILES, ticket_filter, viewer_for
from kefu.lib.process_cache import ProcessCache
from kefu.tickets.models import EventKind as E
from kefu.tickets.models import Message, Status, Ticket, TicketEvent
from kefu.webhooks import payloads
from kefu.webhooks.actions import queue_call
from kefu.webhooks.models import Subscription

FIELD_EDITS = frozenset(
    {E.PRIORITY, E.CATEGORY, E.ASSIGNEE, E.TEAM, E.TAGS, E.COMPLEXITY, E.ORDER_ID,
     E.SHIPMENT_CODE, E.ERROR_CODE, E.IS_EMERGENCY, E.IS_COMPLAINT}
)  # fmt: skip
NAMED = {
    E.CREATED: "ticket.created",
    E.REPLY: "message.created",
    E.NOTE: "message.created",
    E.ATTACHMENT: "attachment.created",
    E.REOPENED: "ticket.reopened",
    E.MERGED_INTO: "ticket.merged",
    E.ESCALATED: "ticket.escalated",
    E.RATED: "ticket.rated",
    E.SLA_WARNING: "sla.warning",
    E.SLA_BREACH: "sla.breached",
}
BY_STATUS = {Status.RESOLVED: "ticket.resolved", Status.CLOSED: "ticket.closed"}
KINDS = frozenset({*NAMED, E.STATUS, *FIELD_EDITS})


def _load() -> list[Subscription]:
    return list(
        Subscription.objects.filter(is_active=True).select_related(
            *(f"owner__{p}" for p in USER_PROFILES)
        )
    )


_subscriptions = ProcessCache(_load, forget_on=[Subscription])


@dataclass
class Happened:
    name: str
    data: dict[str, Any] = field(default_factory=dict)
    message_id: int | None = None


def happened(events: list[TicketEvent]) -> list[Happened]:
    found: list[Happened] = []
    changes = [
        {"field": e.field or e.kind, "old": e.old, "new": e.new}
        for e in events
        if e.kind in FIELD_EDITS or e.kind in (E.STATUS, E.REOPENED)
    ]
    if changes:
        found.append(Happened("ticket.updated", {"changes": changes}))
    for event in events:
        if event.kind == E.STATUS and event.new in BY_STATUS:
            found.append(Happened(BY_STATUS[Status(event.new)]))
        elif event.kind in (E.REPLY, E.NOTE):
            found.append(Happened("message.created", message_id=event.new))
        elif event.kind in NAMED:
            found.append(
                Happened(NAMED[E(event.kind)], {"details": event.data, "value": event.new})
            )
    return found


def follow(ticket: Ticket, events: list[TicketEvent]) -> None:
    subscriptions = _subscriptions.get()
    if not subscriptions:
        return
    wanted = [h for h in happened(events) if any(h.name in s.events for s in subscriptions)]
    if not wanted:
        return
    fresh = Ticket.objects.select_related(*payloads.TICKET_RELATIONS).get(pk=ticket.pk)
    messages = _messages([h.message_id for h in wanted if h.message_id])
    for subscription in subscriptions:
        viewer = viewer_for(subscription.owner)
        if not Ticket.objects.filter(ticket_filter(viewer), pk=ticket.pk).exists():
            continue
        staff = viewer.is_agent or viewer.is_admin
        shown = payloads.ticket(fresh, staff=staff)
        for item in wanted:
            if item.name not in subscription.events:
                continue
            body: dict[str, Any] = {"ticket": shown, **item.data}
            if item.message_id:
                message = messages.get(item.message_id)
                if message is None or (message.is_internal and not staff):
                    continue
                body["message"] = payloads.message(message)
            elif not staff:
                body.pop("details", None)  # escalation and SLA details are the team's
            queue_call(subscription, item.name, body, ticket)


def _messages(ids: list[Any]) -> dict[int, Message]:
    if not ids:
        return {}
    found = Message.objects.select_related("author__agent").filter(pk__in=ids)
    return {m.pk: m for m in found}
