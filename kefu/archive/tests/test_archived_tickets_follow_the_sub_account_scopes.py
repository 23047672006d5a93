"""An archived ticket is seen by the same people as when it was live: a sub-account with the
order scope sees the organisation's archived order tickets but not its billing ones, one with
the organisation-wide scope sees them all, another organisation none (the scope matrix of
``accounts.access``, read from the snapshot)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kefu.accounts.models import Account
from kefu.archive import actions, queries
from kefu.testing import make_ticket
from kefu.tickets import actions as ticket_actions
from kefu.tickets.models import Ticket


def _archived(personas, subject: str, category: str, order_id: str = "") -> str:  # type: ignore[no-untyped-def]
    ticket = make_ticket(personas.anna, subject=subject, category=category, order_id=order_id)
    lena = personas.viewer(personas.lena)
    ticket_actions.change_status(ticket=ticket, actor=lena, status="resolved")
    ticket_actions.change_status(ticket=ticket, actor=lena, status="closed")
    Ticket.objects.filter(pk=ticket.pk).update(closed_at=timezone.now() - timedelta(days=800))
    return ticket.number


def _seen(personas, user) -> set[str]:  # type: ignore[no-untyped-def]
    return set(queries.visible(personas.viewer(user)).values_list("number", flat=True))


@pytest.mark.django_db
def test_archived_tickets_follow_the_sub_account_scopes(personas):
    order = _archived(personas, "Where is PO-7", "other", order_id="PO-7")
    shipping = _archived(personas, "Parcel lost", "shipment_logistics")
    billing = _archived(personas, "Invoice for PO-8", "payment_billing", order_id="PO-8")
    other = _archived(personas, "Password help", "account_access")
    actions.run_archiving(dry_run=False)

    assert _seen(personas, personas.anna) == {order, shipping, billing, other}  # the main account
    assert _seen(personas, personas.sam) == {order, shipping}  # the order scope, not billing
    Account.objects.filter(user=personas.sam).update(scopes=[Account.Scope.BILLING_TICKETS])
    assert _seen(personas, personas.sam) == {billing}
    Account.objects.filter(user=personas.sam).update(scopes=[Account.Scope.VIEW_ORG_TICKETS])
    assert _seen(personas, personas.sam) == {order, shipping, billing, other}
    assert _seen(personas, personas.otto) == set()
