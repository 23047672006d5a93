"""A customer organisation's main account keeps its store contact directory in the portal;
sub-accounts read it; another organisation's contacts do not exist for them (404)."""

from __future__ import annotations

import pytest

from kefu.contacts import actions
from kefu.contacts.actions import ContactFields
from kefu.contacts.models import StoreContact
from kefu.errors import Forbidden, NotFound
from kefu.testing import session_client

LOGISTICS = {
    "store": "Acme Tmall flagship",
    "name": "王磊",
    "role": "logistics",
    "phone": "+86 138 0013 8000",
    "email": "wang.lei@acme.test",
    "wechat": "wanglei_acme",
    "notes": "Weekdays 9-18",
}


@pytest.mark.django_db
def test_the_main_account_adds_and_changes_a_contact_in_the_portal(personas):
    client = session_client(personas.anna)
    page = client.get("/portal/stores/")
    token = page.cookies["csrftoken"].value
    added = client.post("/portal/stores/", {**LOGISTICS, "csrfmiddlewaretoken": token})
    assert added.status_code == 302
    contact = StoreContact.objects.get()
    assert (contact.organization, contact.name, contact.phone) == (
        personas.acme,
        "王磊",
        "+86 138 0013 8000",
    )
    assert contact.updated_by == personas.anna
    changed = client.post(
        f"/portal/stores/{contact.pk}/",
        {**LOGISTICS, "role": "finance", "csrfmiddlewaretoken": token},
    )
    assert changed.status_code == 302
    contact.refresh_from_db()
    assert contact.role == "finance"
    listing = client.get("/portal/stores/").content.decode()
    assert "Acme Tmall flagship" in listing and "wang.lei@acme.test" in listing


@pytest.mark.django_db
def test_a_bad_phone_shows_on_its_field_and_saves_nothing(personas):
    client = session_client(personas.anna)
    token = client.get("/portal/stores/").cookies["csrftoken"].value
    answer = client.post(
        "/portal/stores/", {**LOGISTICS, "phone": "call me", "csrfmiddlewaretoken": token}
    )
    assert answer.status_code == 200
    assert "Enter a phone number of 6 to 20 digits" in answer.content.decode()
    assert not StoreContact.objects.exists()


@pytest.mark.django_db
def test_a_sub_account_reads_the_directory_but_may_not_change_it(personas):
    contact = actions.add_contact(
        viewer=personas.viewer(personas.anna),
        organization=personas.acme,
        fields=ContactFields(**LOGISTICS),
    )
    client = session_client(personas.sam)
    page = client.get("/portal/stores/").content.decode()
    assert "王磊" in page and 'id="add-contact"' not in page
    token = client.cookies["csrftoken"].value
    refused = client.post("/portal/stores/", {**LOGISTICS, "csrfmiddlewaretoken": token})
    assert "main account may edit its store contacts" in refused.content.decode()
    assert StoreContact.objects.count() == 1
    with pytest.raises(Forbidden):
        actions.change_contact(
            viewer=personas.viewer(personas.sam),
            contact_id=contact.pk,
            fields=ContactFields(**{**LOGISTICS, "name": "Sam"}),
        )
    with pytest.raises(Forbidden):
        actions.remove_contact(viewer=personas.viewer(personas.sam), contact_id=contact.pk)


@pytest.mark.django_db
def test_another_organisations_contact_is_not_found(personas):
    contact = actions.add_contact(
        viewer=personas.viewer(personas.anna),
        organization=personas.acme,
        fields=ContactFields(**LOGISTICS),
    )
    otto = session_client(personas.otto)  # Orbit's main account
    assert otto.get(f"/portal/stores/{contact.pk}/").status_code == 404
    assert "王磊" not in otto.get("/portal/stores/").content.decode()
    with pytest.raises(NotFound):
        actions.change_contact(
            viewer=personas.viewer(personas.otto),
            contact_id=contact.pk,
            fields=ContactFields(**LOGISTICS),
        )
    with pytest.raises(NotFound):
        actions.add_contact(
            viewer=personas.viewer(personas.otto),
            organization=personas.acme,
            fields=ContactFields(**LOGISTICS),
        )
    assert StoreContact.objects.get().name == "王磊"
