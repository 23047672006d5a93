"""How triage follows tickets (``tickets.signals``) and its own admin data."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from kefu.accounts.access import SYSTEM
from kefu.tickets import actions
from kefu.tickets.models import Status, Ticket, TicketEvent
from kefu.tickets.work import SCORE_STAGE, defer
from kefu.triage import evidence_flow, routing, scoring, store
from kefu.triage.actions import record_recategorisation


def _by_agent(event: TicketEvent) -> bool:
    return event.actor is not None and getattr(event.actor, "agent", None) is not None


def on_event_recorded(sender: Any, ticket: Ticket, event: TicketEvent, **kwargs: Any) -> None:
    """Inside the event's transaction; cheap: a few indexed queries for this one ticket."""
    if event.kind == "category":
        record_recategorisation(ticket=ticket, event=event)
    if event.kind in ("status", "attachment") and evidence_flow.awaiting(ticket):
        _follow_evidence(ticket, event)
    if event.kind in scoring.SCORE_EVENTS:
        # Once per transaction, after the SLA clocks it reads are rebuilt.
        defer(SCORE_STAGE, "triage-score", ticket, scoring.refresh)


def _follow_evidence(ticket: Ticket, event: TicketEvent) -> None:
    """An agent moving a ticket out of waiting waives the check; a customer's upload while
    waiting may complete it."""
    if event.kind == "status" and event.old == Status.PENDING_CUSTOMER and _by_agent(event):
        evidence_flow.waive(ticket, event.actor.agent.code)  # type: ignore[union-attr]
    elif (
        event.kind == "attachment"
        and ticket.status == Status.PENDING_CUSTOMER
        and not _by_agent(event)  # agents' files are theirs, not the customer's evidence
    ):
        evidence_flow.recheck(ticket, replied=False)


def on_ticket_changed(sender: Any, ticket_id: int, kind: str, **kwargs: Any) -> None:
    """After commit: a ticket that left "needs triage" with a category moves to its team."""
    if kind != "category":
        return
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update(of=("self",))
            .select_related("team", "category__team", "organization")
            .filter(pk=ticket_id)
            .first()
        )
        if ticket is None or ticket.team is None or ticket.team.code != routing.TRIAGE_TEAM:
            return
        if ticket.category is None or ticket.category.team is None:
            return
        actions.update_ticket(ticket=ticket, actor=SYSTEM, changes={"team": ticket.category.team})
        routed = routing.route(ticket, ticket.updated_at)
        actions.store_triage(ticket=ticket, details={"routing": routed.as_dict()})


def on_triage_data_changed(sender: Any, **kwargs: Any) -> None:
    store.invalidate()
