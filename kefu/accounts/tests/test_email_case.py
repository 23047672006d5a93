"""An email is one account whatever its case: sign-in ignores case and spaces, and no second
account can be made with the same address in other letters."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from kefu.accounts.models import User
from kefu.testing import PASSWORD


def test_sign_in_ignores_case_and_spaces(personas):
    client = Client()
    response = client.post("/login/", {"username": "  ANNA@Acme.Test ", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(personas.anna.pk)


def test_the_admin_refuses_the_same_address_in_capitals(personas):
    admin = Client()
    admin.force_login(personas.ada)
    page = admin.post(
        "/admin/accounts/user/add/",
        {"email": "Alice@KEFU.test", "password1": "harbour-lantern-47",
         "password2": "harbour-lantern-47", "usable_password": "true"},
    )  # fmt: skip
    assert page.status_code == 200
    assert "A user with this email already exists." in page.content.decode()
    assert User.objects.filter(email__iexact="alice@kefu.test").count() == 1


def test_the_database_refuses_it_too(personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="BOB@kefu.test")


def test_new_accounts_are_stored_in_lower_case(db):
    assert (
        User.objects.create_user("Mixed.Case@Example.COM", PASSWORD).email
        == "mixed.case@example.com"
    )
