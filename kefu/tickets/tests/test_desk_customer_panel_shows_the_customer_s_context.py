"""The desk ticket's customer panel: organisation, tier, account manager, the requester's
sub-account scopes, their other open and recent tickets, their ratings, the orders and shipments
their tickets name, and the store contacts; only what the agent may see, read in a fixed number
of queries however long the customer's history."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from kefu.accounts.models import Organization
from kefu.contacts.models import StoreContact
from kefu.ratings import actions as ratings
from kefu.ratings.models import Rating
from kefu.testing import make_ticket, session_client
from kefu.tickets import actions
from kefu.tickets.models import Ticket
from kefu.tickets.queries import TICKET_RELATIONS

PANEL = Template("{% load ticket_tags %}{% customer_panel ticket %}")


def _sams_ticket(personas, **fields) -> Ticket:
    ticket = make_ticket(personas.sam, **fields)
    return actions.update_ticket(ticket=ticket, actor=personas.viewer(personas.lena),
                                 changes={"assignee": personas.alice.agent})  # fmt: skip


def _rated(personas, **fields) -> Ticket:
    ticket = _sams_ticket(personas, **fields)
    actions.change_status(ticket=ticket, actor=personas.viewer(personas.alice), status="resolved")
    ticket.refresh_from_db()
    ratings.rate_ticket(ticket=ticket, actor=personas.viewer(personas.sam), score="unsatisfied",
                        comment="Too slow", via=Rating.Via.PORTAL)  # fmt: skip
    return ticket


def _render(personas, ticket: Ticket) -> tuple[str, int]:
    request = RequestFactory().get("/")
    request.user = personas.alice
    with CaptureQueriesContext(connection) as queries:
        html = PANEL.render(Context({"ticket": ticket, "request": request}))
    return html, len(queries.captured_queries)


def _as_the_desk_reads_it(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_related(*TICKET_RELATIONS).get(pk=ticket.pk)


@pytest.fixture
def key_account(personas) -> Organization:
    Organization.objects.filter(pk=personas.acme.pk).update(
        tier=Organization.Tier.KEY_ACCOUNT, account_manager=personas.lena.agent
    )
    StoreContact.objects.create(organization=personas.acme, store="Acme 天猫旗舰店", name="王磊",
                                phone="+86 138 0013 8000")  # fmt: skip
    return personas.acme


@pytest.mark.django_db
def test_the_panel_shows_who_the_customer_is_and_what_else_they_asked(personas, key_account):
    earlier = _sams_ticket(personas, subject="Parcel stuck", order_id="PO-7",
                           shipment_code="SF1234567890")  # fmt: skip
    rated = _rated(personas, subject="Refund late", order_id="PO-9")
    hidden = make_ticket(personas.sam, subject="Invoice", order_id="PO-SECRET")
    Ticket.objects.filter(pk=hidden.pk).update(team=personas.billing)  # not Alice's team
    ticket = _sams_ticket(personas, subject="Where is PO-11?", order_id="PO-11")

    page = session_client(personas.alice).get(f"/desk/t/{ticket.number}/").content.decode()
    panel = page[page.index('id="customer-panel"') : page.index('id="store-contacts"') + 2000]
    for text in ("Acme Trading", "Key account", "L0001", "Sub-account", "Create tickets",
                 "View tickets about orders", "PO-7", "SF1234567890", "PO-9", "PO-11",
                 "Too slow", "score-unsatisfied", "王磊"):  # fmt: skip
        assert text in panel, text
    assert (
        f'href="/desk/t/{earlier.number}/"' in panel and f'href="/desk/t/{rated.number}/"' in panel
    )
    assert hidden.number not in panel and "PO-SECRET" not in panel

    chinese = session_client(personas.alice)
    chinese.cookies["django_language"] = "zh-hans"
    zh = chinese.get(f"/desk/t/{ticket.number}/").content.decode()
    for text in ("重点客户", "客户经理", "子账号", "未结工单", "评价记录", "其工单中的订单和物流"):
        assert text in zh, text


@pytest.mark.django_db
def test_the_panel_reads_a_fixed_number_of_queries(
    personas, key_account, django_assert_num_queries
):
    ticket = _sams_ticket(personas, order_id="PO-1")
    _rated(personas, order_id="PO-2")
    _, few = _render(personas, _as_the_desk_reads_it(ticket))
    for n in range(8):
        _rated(personas, order_id=f"PO-{n + 10}", shipment_code=f"SF{n}")
        _sams_ticket(personas, order_id=f"PO-{n + 30}")
    fresh = _as_the_desk_reads_it(ticket)
    with django_assert_num_queries(few):
        html, _ = _render(personas, fresh)
    assert "PO-37" in html and "SF7" in html
