"""Admins find store contacts in the admin, searchable by organisation, store and name."""

import pytest

from kefu.contacts.actions import ContactFields, add_contact


@pytest.mark.django_db
def test_the_admin_lists_and_finds_store_contacts(personas, admin_client):
    add_contact(
        viewer=personas.viewer(personas.anna),
        organization=personas.acme,
        fields=ContactFields(store="Acme JD store", name="Li Na", phone="021-5555 1234"),
    )
    page = admin_client.get("/admin/contacts/storecontact/?q=acme")
    assert page.status_code == 200 and "Li Na" in page.content.decode()
