"""How the resolution window follows a ticket's changes (listed in ``kefu.flow``).

Resolved: the window opens (the reminder and the auto-close are due-at columns, swept by
``ratings.sweep``). Closed or reopened: it ends, and the customer hears of the steps that are not
visibly their own doing on a page: the close at their confirmation (with the rating link), the
close without an answer, and the reopening by their own reply (a mail they wrote may be all
they see of Kefu).
"""

from __future__ import annotations

from kefu.notifications.followers import notify_customer
from kefu.notifications.models import Kind
from kefu.ratings import actions
from kefu.ratings.models import Resolution
from kefu.tickets.links import Action, make_url
from kefu.tickets.models import EventKind as E
from kefu.tickets.models import Message, Status, Ticket, TicketEvent

KINDS = frozenset({E.STATUS, E.REOPENED, E.REPLY})
State = Resolution.State


def follow(ticket: Ticket, events: list[TicketEvent]) -> None:
    customer = ticket.requester
    staff_requester = getattr(customer, "agent", None) is not None
    for event in events:
        if event.kind == E.STATUS and event.new == Status.RESOLVED:
            actions.open_window(ticket=ticket)
        elif event.kind == E.STATUS and event.new == Status.CLOSED:
            _closed(ticket, event, tell=not staff_requester)
        elif event.kind == E.REOPENED:
            _reopened(ticket, event, events, tell=not staff_requester)


def _closed(ticket: Ticket, event: TicketEvent, *, tell: bool) -> None:
    by_customer = event.actor_id is not None and event.actor_id == ticket.requester_id
    state = State.CONFIRMED if by_customer else State.CLOSED
    ended = actions.end_window(ticket=ticket, state=state, resolved_at=ticket.resolved_at)
    auto = ended is None and _auto_closed(ticket)
    if not tell or not (auto or (ended is not None and by_customer)):
        return
    kind, template = (Kind.AUTO_CLOSED, "auto_closed") if auto else (Kind.CLOSED, "closed")
    notify_customer(ticket, ticket.requester, kind, template=template,
                    rate_url=make_url(ticket, Action.RATE))  # fmt: skip


def _auto_closed(ticket: Ticket) -> bool:
    """The sweeper claimed this resolution (state auto-closed) before closing the ticket."""
    if ticket.resolved_at is None:
        return False
    return Resolution.objects.filter(
        ticket=ticket, resolved_at=ticket.resolved_at, state=State.AUTO_CLOSED
    ).exists()


def _reopened(ticket: Ticket, event: TicketEvent, events: list[TicketEvent], *, tell: bool) -> None:
    # A reopen clears resolved_at; the event's moment is the last window of this ticket.
    waiting = Resolution.objects.filter(ticket=ticket, state=State.WAITING).order_by("-resolved_at")
    latest = waiting.first()
    if latest is not None:
        actions.end_window(ticket=ticket, state=State.REOPENED, resolved_at=latest.resolved_at)
    by_reply = any(
        e.kind == E.REPLY and e.data.get("role") == Message.AuthorRole.CUSTOMER for e in events
    )
    if tell and by_reply and event.actor_id == ticket.requester_id:
        notify_customer(ticket, ticket.requester, Kind.REOPENED, template="reopened_by_reply")
