"""Who hears about a ticket's change (listed in ``kefu.flow``), in their notification centre and
by mail, in their own language.

Staff: the agent a ticket is assigned to (by someone else), and the assignee and the agents
following the ticket when the customer writes. Customers — each step of their ticket: support
replied (the reply itself is mailed by ``delivery.replies``), support needs their answer, the
ticket was resolved (with one-click confirm, reopen and rating links), reopened by someone else,
merged into another ticket. Nobody hears of their own doing; staff who filed a ticket for
themselves are not told as customers.
"""

from __future__ import annotations

from typing import Any

from kefu.accounts.models import Agent, User
from kefu.delivery.email import MAILED_CHANNELS, mail_ticket, mailable
from kefu.delivery.models import Delivery
from kefu.notifications.actions import notify, wants_email
from kefu.notifications.models import Kind
from kefu.tickets.links import Action, make_url
from kefu.tickets.models import EventKind as E
from kefu.tickets.models import Message, Status, Ticket, TicketEvent
from kefu.tickets.queries import following

KINDS = frozenset({E.REPLY, E.STATUS, E.REOPENED, E.ASSIGNEE, E.MERGED_INTO})
Role = Message.AuthorRole


def follow(ticket: Ticket, events: list[TicketEvent]) -> None:
    for event in events:
        _tell_staff(ticket, event)
    customer = ticket.requester
    if getattr(customer, "agent", None) is None:
        _tell_customer(ticket, customer, events)


def _params(ticket: Ticket, **extra: Any) -> dict[str, Any]:
    return {"number": ticket.number, "subject": ticket.subject, **extra}


def _tell_staff(ticket: Ticket, event: TicketEvent) -> None:
    if event.kind == E.ASSIGNEE and event.new and event.actor_id is not None:
        # Someone else's assignment; escalation's reassignments say so themselves.
        agent = Agent.objects.select_related("user").filter(code=event.new).first()
        if agent is not None and agent.user_id != event.actor_id:
            notify([agent], Kind.ASSIGNED, ticket=ticket, params=_params(ticket))
    elif event.kind == E.REPLY and event.data.get("role") == Role.CUSTOMER:
        told = [ticket.assignee, *following(ticket)]
        notify(told, Kind.CUSTOMER_REPLY, ticket=ticket, params=_params(ticket))


def _tell_customer(ticket: Ticket, customer: User, events: list[TicketEvent]) -> None:
    theirs = [e for e in events if e.actor_id != customer.pk]
    replied = any(e.kind == E.REPLY and e.data.get("role") == Role.AGENT for e in theirs)
    if replied:
        notify_customer(ticket, customer, Kind.AGENT_REPLY, mail=False)  # the reply is mailed
    # The system's request for what is missing (``triage.evidence_flow``) mails itself.
    requested = any(e.kind == E.REPLY and e.data.get("role") == Role.SYSTEM for e in theirs)
    for event in theirs:
        if event.kind == E.STATUS and event.new == Status.PENDING_CUSTOMER and not replied:
            if requested and ticket.channel in MAILED_CHANNELS:
                notify_customer(ticket, customer, Kind.PENDING)  # in the portal, not mailed again
            else:
                notify_customer(
                    ticket, customer, Kind.PENDING, template="pending", needed=_asked(ticket)
                )
        elif event.kind == E.STATUS and event.new == Status.RESOLVED:
            notify_customer(
                ticket,
                customer,
                Kind.RESOLVED,
                template="resolved",
                confirm_url=make_url(ticket, Action.CONFIRM),
                reopen_url=make_url(ticket, Action.REOPEN),
                rate_url=make_url(ticket, Action.RATE),
            )
        elif event.kind == E.REOPENED:
            notify_customer(ticket, customer, Kind.REOPENED, template="reopened")
        elif event.kind == E.MERGED_INTO:
            notify_customer(ticket, customer, Kind.MERGED, template="merged", into=str(event.new))


def _asked(ticket: Ticket) -> str:
    """What support last said in public: the question the customer is to answer."""
    last = (
        Message.objects.filter(ticket=ticket, is_internal=False)
        .exclude(author_role=Role.CUSTOMER)
        .order_by("-created_at", "-pk")
        .values_list("body", flat=True)
        .first()
    )
    return last or ""


def notify_customer(
    ticket: Ticket,
    customer: User,
    kind: Kind,
    *,
    template: str = "",
    mail: bool = True,
    **context: str,
) -> None:
    """The portal's notification (for those who can sign in), and the step's own mail."""
    params = _params(ticket, **{k: v for k, v in context.items() if k in ("into", "when")})
    if getattr(customer, "account", None) is not None:
        notify([customer], kind, ticket=ticket, params=params, mail=False)
    if mail and template and mailable(customer.email) and wants_email(customer, kind):
        mail_ticket(
            ticket,
            template=template,
            kind=Delivery.Kind.NOTIFICATION,
            context={"kind": kind, **context},
        )
