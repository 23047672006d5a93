"""How triage follows a ticket's changes (listed in ``kefu.flow``): what agents' recategorisations
teach the classifier, leaving the "needs triage" queue, the evidence check, the queue score."""

from __future__ import annotations

from kefu.accounts.access import SYSTEM
from kefu.tickets import actions
from kefu.tickets.models import EventKind as E
from kefu.tickets.models import Message, Status, Ticket, TicketEvent
from kefu.triage import evidence_flow, routing, score_refresh
from kefu.triage.actions import record_recategorisation

# Event kinds that change what the score looks at; a customer's reply may change repeats and
# bursts (``triage.noise``), an agent's does not.
SCORE_EVENTS = frozenset(
    {E.CREATED, E.PRIORITY, E.CATEGORY, E.STATUS, E.REOPENED, E.IS_EMERGENCY, E.IS_COMPLAINT,
     E.TAGS, E.SCORE, E.DUPLICATE, E.FLOOD, E.REPLY}
)  # fmt: skip


def learn_category(ticket: Ticket, events: list[TicketEvent]) -> None:
    for event in events:
        record_recategorisation(ticket=ticket, event=event)


def route_out_of_triage(ticket: Ticket, events: list[TicketEvent]) -> None:
    """A ticket that left "needs triage" with a category moves to the category's team."""
    if ticket.team is None or ticket.team.code != routing.TRIAGE_TEAM:
        return
    if ticket.category is None or ticket.category.team is None:
        return
    actions.update_ticket(ticket=ticket, actor=SYSTEM, changes={"team": ticket.category.team})
    routed = routing.route(ticket, ticket.updated_at)
    actions.store_triage(ticket=ticket, details={"routing": routed.as_dict()})


def evidence(ticket: Ticket, events: list[TicketEvent]) -> None:
    """An agent moving a ticket out of waiting waives the check; a customer's upload while
    waiting may complete it."""
    for event in events:
        if not evidence_flow.awaiting(ticket):
            return
        agent = getattr(event.actor, "agent", None) if event.actor else None
        if event.kind == E.STATUS and event.old == Status.PENDING_CUSTOMER and agent:
            evidence_flow.waive(ticket, agent.code)
        # Agents' files are theirs, not the customer's evidence.
        elif event.kind == E.ATTACHMENT and ticket.status == Status.PENDING_CUSTOMER and not agent:
            evidence_flow.recheck(ticket, replied=False)


def rescore(ticket: Ticket, events: list[TicketEvent]) -> None:
    """Once per round, after the SLA clocks it reads are rebuilt."""
    customer = Message.AuthorRole.CUSTOMER
    if any(e.kind != E.REPLY or (e.data or {}).get("role") == customer for e in events):
        score_refresh.refresh(ticket)
