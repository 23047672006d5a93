"""``{% load ticket_tags %}``: a ticket event in words (``tickets.history``); the desk's views
with their open-ticket counts (re-read live, like the queue); a queue row's version; the customer
panel of a ticket."""

from __future__ import annotations

from typing import Any

from django import template

from kefu.accounts.access import request_viewer
from kefu.accounts.models import Account
from kefu.ratings.queries import customer_history, customer_ratings
from kefu.tickets import queries
from kefu.tickets.concurrency import ticket_version
from kefu.tickets.history import describe
from kefu.tickets.models import Ticket, TicketEvent

register = template.Library()


@register.filter
def event_sentence(event: TicketEvent) -> str:
    return describe(event)


@register.filter
def version(ticket: Ticket) -> str:
    """The ticket's version as its row showed it (a bulk action skips it if it moved)."""
    return ticket_version(ticket)


@register.inclusion_tag("tickets/_queue_views.html", takes_context=True)
def queue_views(context: Any) -> dict[str, Any]:
    viewer = request_viewer(context["request"])
    return {"counts": queries.queue_view_counts(viewer), "limit": queries.VIEW_COUNT_LIMIT}


def _scopes(account: Account | None) -> list[str]:
    """What a sub-account may do, in words (a main account may do everything)."""
    if account is None or account.is_main:
        return []
    return [str(Account.Scope(s).label) for s in account.scopes if s in Account.Scope.values]


@register.inclusion_tag("tickets/_customer_panel.html", takes_context=True)
def customer_panel(context: Any, ticket: Ticket) -> dict[str, Any]:
    """Who the customer is (organisation, tier, account manager, their account's scopes) and
    what else they asked: their other tickets, ratings, and the orders and shipments their
    tickets name. A fixed number of queries, however long their history."""
    viewer = request_viewer(context["request"])
    still_open, done = customer_history(viewer, ticket)
    orders, shipments = queries.customer_mentions(viewer, ticket)
    organization = ticket.organization
    account = getattr(ticket.requester, "account", None)
    return {
        "ticket": ticket,
        "organization": organization,
        "manager": organization.account_manager if organization else None,
        "account": account,
        "scopes": _scopes(account),
        "open_tickets": still_open,
        "done_tickets": done,
        "ratings": customer_ratings(viewer, ticket),
        "orders": orders,
        "shipments": shipments,
        "request": context["request"],
    }
