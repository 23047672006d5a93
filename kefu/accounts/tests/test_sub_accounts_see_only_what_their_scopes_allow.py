"""A sub-account sees exactly the tickets its scopes allow, wherever it looks: the portal list,
the portal ticket page, the API list and detail, and search (``q``) in both.

The matrix: tickets in every category, filed by the main account (some with its payment details
and an order id), by the sub-account itself and by another sub-account; each scope set is
checked against the rule written out here, independently of ``accounts.access``.
"""

from __future__ import annotations

import re

import pytest

from kefu.accounts.actions import create_customer, set_account_scopes
from kefu.accounts.models import Account, User
from kefu.testing import PASSWORD, api_client, make_ticket, session_client
from kefu.tickets.models import Ticket

S = Account.Scope
CATEGORIES = ("order_trade", "payment_billing", "shipment_logistics", "after_sales", "other", "")
ORDER_CATEGORIES = {"order_trade", "shipment_logistics", "after_sales"}
SCOPE_SETS: list[tuple[str, ...]] = [
    (),
    (S.CREATE_TICKETS,),
    (S.ORDER_TICKETS,),
    (S.BILLING_TICKETS,),
    (S.ORDER_TICKETS, S.BILLING_TICKETS),
    (S.VIEW_ORG_TICKETS,),
]


def expected_visible(ticket: Ticket, viewer: User, scopes: tuple[str, ...]) -> bool:
    """The rule, written out: own tickets; with the order scope, order tickets (an order id or
    an order category) but never payment ones; with the billing scope, payment ones; all."""
    code = ticket.category.code if ticket.category else ""
    if S.VIEW_ORG_TICKETS in scopes or ticket.requester_id == viewer.pk:
        return True
    if S.BILLING_TICKETS in scopes and code == "payment_billing":
        return True
    about_orders = bool(ticket.order_id) or code in ORDER_CATEGORIES
    return S.ORDER_TICKETS in scopes and about_orders and code != "payment_billing"


@pytest.fixture
def matrix(personas):
    pat = create_customer(
        email="pat@acme.test",
        name="Pat",
        organization=personas.acme,
        password=PASSWORD,
        scopes=[S.CREATE_TICKETS, S.BILLING_TICKETS],
        language="en",
    ).user
    # While filing, Sam may file every kind; each test then gives Sam the scopes it checks.
    set_account_scopes(account=personas.sam.account, scopes=[S.CREATE_TICKETS, S.BILLING_TICKETS])
    tickets = []
    for author in (personas.anna, personas.sam, pat):
        for code in CATEGORIES:
            for order_id in ("", "PO-7781"):
                tickets.append(
                    make_ticket(
                        author,
                        category=code,
                        order_id=order_id,
                        subject=f"Matrix {author.name} {code or 'none'} {order_id or 'no-order'}",
                        body="Card ending 4242, IBAN DE89 3704 0044 0532 0130 00"
                        if code == "payment_billing"
                        else "Question about an order.",
                    )
                )
    tickets.append(make_ticket(personas.otto, subject="Matrix Orbit ticket"))
    return tickets


def _numbers_in_api_list(client, query: str = "") -> set[str]:
    numbers: set[str] = set()
    page = 1
    while True:
        response = client.get("/api/v1/tickets", {"page": page, "page_size": 100, "q": query})
        assert response.status_code == 200
        body = response.json()
        numbers |= {row["number"] for row in body["results"]}
        if page * 100 >= body["count"]:
            return numbers
        page += 1


def _numbers_in_portal(client, query: str = "") -> set[str]:
    """Every ticket number on every page of the portal list."""
    numbers: set[str] = set()
    for page in range(1, 10):
        response = client.get("/portal/", {"show": "all", "q": query, "page": page})
        assert response.status_code == 200
        found = set(re.findall(r"\bKF\d+\b", response.content.decode()))
        if found <= numbers:
            return numbers
        numbers |= found
    raise AssertionError("more portal pages than the matrix has tickets")


@pytest.mark.django_db
@pytest.mark.parametrize("scopes", SCOPE_SETS, ids=lambda s: "+".join(s) or "none")
def test_a_sub_account_sees_no_ticket_outside_its_scopes(personas, matrix, scopes):
    sam = personas.sam
    set_account_scopes(account=sam.account, scopes=scopes)
    expected = {t.number for t in matrix if t.organization_id == personas.acme.pk
                and expected_visible(t, sam, scopes)}  # fmt: skip
    assert any(t.requester_id == sam.pk for t in matrix)
    api, portal = api_client(sam), session_client(sam)

    assert _numbers_in_api_list(api) == expected
    assert _numbers_in_api_list(api, "Matrix") == expected
    assert _numbers_in_portal(portal) == expected
    assert _numbers_in_portal(portal, "Matrix") == expected
    for ticket in matrix:
        detail = api.get(f"/api/v1/tickets/{ticket.number}").status_code
        page = portal.get(f"/portal/t/{ticket.number}/").status_code
        searched = _numbers_in_api_list(api, ticket.number)
        if ticket.number in expected:
            assert (detail, page, searched) == (200, 200, {ticket.number}), ticket.subject
        else:
            assert (detail, page, searched) == (404, 404, set()), ticket.subject


@pytest.mark.django_db
def test_an_orders_sub_account_cannot_read_the_main_accounts_payment_tickets(personas, matrix):
    """The leak of issue #14: a payment ticket naming an order was open to the order scope."""
    sam = personas.sam
    set_account_scopes(account=sam.account, scopes=[S.CREATE_TICKETS, S.ORDER_TICKETS])
    payment = Ticket.objects.get(
        requester=personas.anna, category__code="payment_billing", order_id="PO-7781"
    )
    assert api_client(sam).get(f"/api/v1/tickets/{payment.number}").status_code == 404
    assert "4242" not in session_client(sam).get("/portal/", {"show": "all"}).content.decode()


@pytest.mark.django_db
def test_the_main_account_sees_every_ticket_of_its_organisation_only(personas, matrix):
    expected = {t.number for t in matrix if t.organization_id == personas.acme.pk}
    assert _numbers_in_api_list(api_client(personas.anna)) == expected
