"""Who may create which tickets (the visibility rules are proven through the API)."""

import pytest

from kefu.accounts.access import NOBODY, SYSTEM, may_create_ticket, ticket_filter
from kefu.accounts.actions import set_account_scopes
from kefu.accounts.models import Account
from kefu.tickets.models import Ticket


@pytest.mark.django_db
def test_creation_rights(personas):
    anna, sam = personas.viewer(personas.anna), personas.viewer(personas.sam)
    assert may_create_ticket(anna, "payment_billing")
    assert may_create_ticket(sam, "order_trade") and not may_create_ticket(sam, "payment_billing")
    assert may_create_ticket(personas.viewer(personas.alice), None)
    assert not may_create_ticket(personas.viewer(personas.quinn), None)
    assert may_create_ticket(SYSTEM, None) and not may_create_ticket(NOBODY, None)


@pytest.mark.django_db
def test_main_account_sets_sub_account_scopes(personas):
    account = personas.sam.account
    set_account_scopes(account=account, scopes=["billing_tickets", "not-a-scope"])
    assert account.scopes == ["billing_tickets"]
    sam = personas.viewer(personas.sam)
    assert may_create_ticket(sam, "payment_billing") is False  # may not create at all now
    set_account_scopes(account=account, scopes=[Account.Scope.CREATE_TICKETS, "billing_tickets"])
    assert may_create_ticket(personas.viewer(personas.sam), "payment_billing")


@pytest.mark.django_db
def test_nobody_sees_anything(personas):
    from kefu.testing import make_ticket

    make_ticket(personas.anna)
    assert Ticket.objects.filter(ticket_filter(NOBODY)).count() == 0
