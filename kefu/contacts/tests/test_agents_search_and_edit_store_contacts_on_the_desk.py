"""Agents keep a customer's store directory from the desk: the customer panel has a search box
and edit links; the directory page finds contacts by store, name, phone (with or without its
spaces) or email, and adds and changes them, QQ number included. The API takes ``?q=``."""

from __future__ import annotations

import pytest

from kefu.contacts.models import StoreContact
from kefu.testing import api_client, assigned_ticket, session_client


def _contact(personas, **fields: str) -> StoreContact:
    values = {"store": "Acme Tmall flagship", "name": "王磊", "role": "logistics"}
    values.update(fields)
    return StoreContact.objects.create(organization=personas.acme, **values)


@pytest.mark.django_db
def test_an_agent_adds_and_edits_a_contact_with_a_qq_number_from_the_desk(personas):
    ticket = assigned_ticket(personas, subject="Parcel stuck")
    client = session_client(personas.alice)
    panel = client.get(f"/desk/t/{ticket.number}/").content.decode()
    directory = f"/desk/organisations/{personas.acme.pk}/stores/"
    assert directory in panel  # the search box and "Add a contact" lead there
    token = client.get(directory).cookies["csrftoken"].value
    refused = client.post(
        directory,
        {
            "store": "Acme JD",
            "name": "Li",
            "role": "finance",
            "qq": "0123",
            "csrfmiddlewaretoken": token,
        },
    )
    assert "A QQ number has 5 to 11 digits" in refused.content.decode()
    assert not StoreContact.objects.exists()
    added = client.post(
        f"{directory}?ticket={ticket.number}",
        {
            "store": "Acme JD",
            "name": "Li",
            "role": "finance",
            "qq": "12345678",
            "csrfmiddlewaretoken": token,
        },
    )
    assert added.status_code == 302 and added["Location"].endswith(f"?ticket={ticket.number}")
    contact = StoreContact.objects.get()
    assert (contact.organization, contact.qq, contact.updated_by) == (
        personas.acme,
        "12345678",
        personas.alice,
    )
    changed = client.post(
        f"/desk/stores/{contact.pk}/",
        {"store": "Acme JD", "name": "Li Na", "role": "technical", "qq": "12345678",
         "phone": "021-5555 1234", "csrfmiddlewaretoken": token},
    )  # fmt: skip
    assert changed.status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.role, contact.phone) == ("Li Na", "technical", "021-5555 1234")
    panel = client.get(f"/desk/t/{ticket.number}/").content.decode()
    assert "Li Na" in panel and f"/desk/stores/{contact.pk}/" in panel and "12345678" in panel


@pytest.mark.django_db
def test_the_desk_search_finds_contacts_by_store_name_phone_and_email(personas):
    _contact(personas, name="王磊", phone="+86 138 0013 8000")
    _contact(personas, store="Acme JD", name="Li Na", role="finance", email="li.na@acme.test")
    _contact(personas, store="Acme Douyin", name="Zhou", role="technical", qq="87654321")
    client = session_client(personas.alice)
    directory = f"/desk/organisations/{personas.acme.pk}/stores/"

    def found(text: str) -> set[str]:
        page = client.get(directory, {"q": text}).content.decode()
        return {name for name in ("王磊", "Li Na", "Zhou") if name in page}

    assert found("") == {"王磊", "Li Na", "Zhou"}
    assert found("tmall") == {"王磊"}
    assert found("13800138000") == {"王磊"}  # typed without the spaces stored
    assert found("li.na@") == {"Li Na"}
    assert found("douyin zhou") == {"Zhou"}
    assert found("nobody") == set()
    assert (
        "No contact matches this search." in client.get(directory, {"q": "nobody"}).content.decode()
    )


@pytest.mark.django_db
def test_the_api_searches_with_q_and_a_customer_only_searches_their_own(personas):
    _contact(personas, name="王磊", phone="+86 138 0013 8000")
    _contact(personas, store="Acme JD", name="Li Na", role="finance", email="li.na@acme.test")
    StoreContact.objects.create(
        organization=personas.orbit, store="Orbit JD", name="Li Orbit", email="li@orbit.test"
    )
    agent = api_client(personas.alice)
    answer = agent.get("/api/v1/store-contacts", {"organization": "acme", "q": "li"})
    assert answer.status_code == 200
    assert [row["name"] for row in answer.json()] == ["Li Na"]
    customer = api_client(personas.anna)
    mine = customer.get("/api/v1/store-contacts", {"q": "JD"}).json()
    assert [row["name"] for row in mine] == ["Li Na"]
    assert customer.get("/api/v1/store-contacts", {"q": "x" * 101}).status_code == 422


@pytest.mark.django_db
def test_an_agent_who_may_not_edit_tickets_only_reads_and_customers_do_not_get_the_desk_page(
    personas,
):
    contact = _contact(personas, phone="+86 138 0013 8000")
    quinn = session_client(personas.quinn)  # QA reads, does not edit
    page = quinn.get(f"/desk/organisations/{personas.acme.pk}/stores/").content.decode()
    assert "王磊" in page and 'id="add-contact"' not in page
    assert session_client(personas.anna).get(f"/desk/stores/{contact.pk}/").status_code == 404
