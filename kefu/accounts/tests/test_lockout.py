"""Wrong passwords lock an account (and, at a higher count, a client address) with a clear
message in the user's language, on /login/ and /admin/login/; an admin unlocks it."""

import pytest
from django.core.management import call_command
from django.test import Client

from kefu.testing import PASSWORD

LIMIT = 50
LOCKED_EN = "Too many failed sign-in attempts"
LOCKED_ZH = "登录失败次数过多"


def _try(client: Client, path: str, email: str, password: str, **headers: str):
    return client.post(path, {"username": email, "password": password}, headers=headers)


def _fail_until_locked(client: Client, path: str, email: str, **headers: str):
    for attempt in range(1, LIMIT + 1):
        response = _try(client, path, email, "wrong-password", **headers)
        assert (response.status_code == 429) == (attempt == LIMIT), attempt
    return response


def _signed_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


@pytest.mark.parametrize(
    ("path", "headers", "message"),
    [
        ("/login/", {}, LOCKED_EN),
        ("/login/", {"Accept-Language": "zh-CN"}, LOCKED_ZH),
        ("/admin/login/", {}, LOCKED_EN),
        ("/admin/login/", {"Accept-Language": "zh-CN"}, LOCKED_ZH),
    ],
)
def test_fifty_wrong_passwords_lock_the_account_until_an_admin_unlocks_it(
    personas, path, headers, message
):
    victim, other = personas.ada, personas.lena
    other.is_staff = True  # so that she may use /admin/login/ too
    other.save()
    locked = _fail_until_locked(Client(), path, victim.email, **headers)
    assert message in locked.content.decode()
    assert "30" in locked.content.decode()  # for how long

    # The right password is refused while locked, with the same message.
    refused = _try(Client(), path, victim.email, PASSWORD, **headers)
    assert refused.status_code == 429 and message in refused.content.decode()
    # Another account signs in from the same address.
    assert _signed_in(_try(Client(), path, other.email, PASSWORD))

    call_command("unlock", "--email", victim.email.upper())
    assert _signed_in(_try(Client(), path, victim.email, PASSWORD))


def test_the_admin_action_unlocks(personas):
    _fail_until_locked(Client(), "/login/", personas.anna.email)
    admin = Client()
    admin.force_login(personas.ada)
    response = admin.post(
        "/admin/accounts/user/",
        {"action": "unlock", "_selected_action": [personas.anna.pk]},
        follow=True,
    )
    assert "Sign-in unlocked for 1 user." in response.content.decode()
    assert _signed_in(_try(Client(), "/login/", personas.anna.email, PASSWORD))


def test_case_and_spaces_do_not_dodge_the_count(personas):
    client = Client()
    for attempt in range(LIMIT):
        email = personas.sam.email.upper() if attempt % 2 else f" {personas.sam.email} "
        response = _try(client, "/login/", email, "wrong-password")
    assert response.status_code == 429
    assert _try(Client(), "/login/", personas.sam.email, PASSWORD).status_code == 429


def test_signing_in_to_ones_own_account_does_not_reset_the_victims_count(personas):
    attacker = Client()
    for _ in range(LIMIT - 1):
        _try(attacker, "/login/", personas.otto.email, "wrong-password")
    assert _signed_in(_try(attacker, "/login/", personas.anna.email, PASSWORD))
    assert _try(Client(), "/login/", personas.otto.email, "wrong").status_code == 429


def test_an_address_that_sprays_many_accounts_is_paused(personas, settings):
    settings.KEFU_LOGIN_ADDRESS_FAILURE_LIMIT = 60
    sprayer = Client(REMOTE_ADDR="203.0.113.9")
    users = [personas.anna, personas.sam, personas.otto, personas.alice]
    for attempt in range(60):
        response = _try(sprayer, "/login/", users[attempt % 4].email, "wrong-password")
    assert response.status_code == 429
    # From that address even a right password waits; from elsewhere the accounts are fine.
    assert _try(sprayer, "/login/", personas.bob.email, PASSWORD).status_code == 429
    assert _signed_in(
        _try(Client(REMOTE_ADDR="198.51.100.4"), "/login/", personas.anna.email, PASSWORD)
    )
    call_command("unlock", "--ip", "203.0.113.9")
    assert _signed_in(_try(sprayer, "/login/", personas.bob.email, PASSWORD))


def test_a_right_password_clears_the_accounts_earlier_failures(personas):
    client = Client()
    for _ in range(LIMIT - 1):
        _try(client, "/login/", personas.quinn.email, "wrong-password")
    assert _signed_in(_try(Client(), "/login/", personas.quinn.email, PASSWORD))
    assert _try(Client(), "/login/", personas.quinn.email, "wrong").status_code == 200
