"""The index follows what changes a ticket's text: later messages, a code set by an agent, a
merge, an organisation renamed in the admin; ``rebuild_ticket_index`` rebuilds it all."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from kefu.search.models import TicketDocument
from kefu.testing import Personas, make_ticket
from kefu.tickets import actions
from kefu.tickets.queries import TicketFilters, list_tickets


def _numbers(personas: Personas, query: str) -> list[str]:
    viewer = personas.viewer(personas.ada)
    return [t.number for t in list_tickets(viewer, TicketFilters(q=query))]


def _admin(personas: Personas) -> Client:
    personas.ada.is_staff = personas.ada.is_superuser = True
    personas.ada.save()
    client = Client()
    client.force_login(personas.ada)
    return client


@pytest.mark.django_db
def test_codes_set_by_an_agent_are_found(personas: Personas):
    ticket = make_ticket(personas.anna)
    actions.update_ticket(ticket=ticket, actor=personas.viewer(personas.ada),
                          changes={"error_code": "AE-ERR-403", "shipment_code": "SF1234567890"})  # fmt: skip
    assert _numbers(personas, "AE-ERR-403") == [ticket.number]
    assert _numbers(personas, "ae-err-403") == [ticket.number]
    assert _numbers(personas, "SF1234567890") == [ticket.number]


@pytest.mark.django_db
def test_a_merged_tickets_messages_are_found_on_the_target(personas: Personas):
    source = make_ticket(personas.anna, subject="Parcel", body="包裹破损了")
    target = make_ticket(personas.anna, subject="Order")
    actions.merge_tickets(source=source, target=target, actor=personas.viewer(personas.ada))
    assert _numbers(personas, "破损") == [target.number]


@pytest.mark.django_db
def test_an_organisation_renamed_in_the_admin_is_found_by_its_new_name(personas: Personas):
    ticket = make_ticket(personas.anna)
    client = _admin(personas)
    response = client.post(
        f"/admin/accounts/organization/{personas.acme.pk}/change/",
        {
            "name": "顶峰国际贸易",
            "code": "acme",
            "kind": "buyer",
            "tier": "standard",
            "email_domains": "[]",
            "gmv_usd": "0",
            "rating": "0",
            "rating_months": "0",
            "created_at_0": "2026-01-05",
            "created_at_1": "09:00:00",
            "accounts-TOTAL_FORMS": "0",
            "accounts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert _numbers(personas, "顶峰") == [ticket.number]
    assert _numbers(personas, "Acme Trading") == []


@pytest.mark.django_db
def test_the_command_rebuilds_the_index(personas: Personas):
    ticket = make_ticket(personas.anna, body="退款到账了吗")
    TicketDocument.objects.all().delete()
    assert _numbers(personas, "退款") == []
    call_command("rebuild_ticket_index", stdout=StringIO())
    assert _numbers(personas, "退款") == [ticket.number]


@pytest.mark.django_db
def test_a_customer_renamed_in_the_admin_is_found_by_the_new_name_and_address(personas):
    ticket = make_ticket(personas.anna)
    client = _admin(personas)
    response = client.post(
        f"/admin/accounts/user/{personas.anna.pk}/change/",
        {"email": "anna.li@acme-trading.test", "name": "李安娜", "phone": "",
         "language": "zh-hans", "time_zone": "Asia/Shanghai", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _numbers(personas, "李安娜") == [ticket.number]
    assert _numbers(personas, "anna.li@acme-trading.test") == [ticket.number]
    assert _numbers(personas, "anna@acme.test") == []
