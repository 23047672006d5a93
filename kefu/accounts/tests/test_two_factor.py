"""Staff with an authenticator give a code after the password (or a recovery code, once);
customers are never asked; KEFU_REQUIRE_2FA_FOR_ADMINS sends admins to enrol first."""

import re
import time

import pyotp
import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_otp.oath import totp

from kefu.accounts import actions
from kefu.testing import PASSWORD


def _enrol(user) -> tuple[object, list[str]]:
    device = actions.start_totp_enrolment(user=user)
    assert actions.confirm_totp_device(device=device, token=_code(device))
    return device, actions.replace_recovery_codes(user=user)


def _code(device, offset: int = 0) -> str:
    return f"{totp(device.bin_key, t0=device.t0, step=device.step, drift=offset):06d}"


def _password(client: Client, user, path: str = "/login/"):
    return client.post(path, {"username": user.email, "password": PASSWORD})


def test_the_password_alone_does_not_sign_in_a_staff_member_with_an_authenticator(personas):
    device, _ = _enrol(personas.alice)
    client = Client()
    assert _password(client, personas.alice)["Location"] == "/login/code/"
    assert "_auth_user_id" not in client.session
    assert client.get("/desk/").status_code == 302  # still signed out
    device.refresh_from_db()
    answer = client.post("/login/code/", {"code": _code(device, offset=1)})
    assert answer.status_code == 302 and client.session["_auth_user_id"] == str(personas.alice.pk)


def test_a_recovery_code_works_once(personas):
    _, codes = _enrol(personas.bob)
    first = Client()
    _password(first, personas.bob)
    assert first.post("/login/code/", {"code": codes[0].upper()}).status_code == 302
    second = Client()
    _password(second, personas.bob)
    page = second.post("/login/code/", {"code": codes[0]})
    assert "has already been used" in page.content.decode()
    assert "_auth_user_id" not in second.session


def test_the_admin_sign_in_asks_for_the_code_too(personas):
    device, _ = _enrol(personas.ada)
    client = Client()
    assert _password(client, personas.ada, "/admin/login/")["Location"] == "/login/code/"
    client.post("/login/code/", {"code": _code(device, offset=1)})
    assert client.get("/admin/").status_code == 200


def test_the_code_step_expires(personas, monkeypatch):
    _enrol(personas.lena)
    client = Client()
    _password(client, personas.lena)
    later = time.time() + 301
    monkeypatch.setattr(time, "time", lambda: later)
    page = client.post("/login/code/", {"code": "123456"}, follow=True)
    assert "took too long" in page.content.decode()


def test_customers_are_not_asked_and_cannot_enrol(personas):
    client = Client()
    assert _password(client, personas.anna)["Location"] == "/"
    assert client.get("/account/security/").status_code == 404


def test_enrolment_shows_an_inline_svg_qr_and_the_codes_once(personas):
    client = Client()
    client.force_login(personas.quinn)
    page = client.get("/account/security/").content.decode()
    assert "<svg" in page and "<img" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script
    device = actions.start_totp_enrolment(user=personas.quinn)
    secret = pyotp.TOTP(page.split('class="secret">')[1].split("<")[0].replace(" ", ""))
    assert "not correct" in client.post("/account/security/", {"code": "000000"}).content.decode()
    time.sleep(1.1)  # django-otp makes the next try wait 1 s after a wrong code
    done = client.post("/account/security/", {"code": secret.now()}, follow=True)
    device.refresh_from_db()
    assert device.confirmed
    assert done.content.decode().count("<li><code>") == 10
    assert client.get("/account/security/codes/")["Location"] == "/account/security/"


@pytest.mark.parametrize("enrolled", [False, True])
def test_admins_must_use_two_factor_when_required(personas, settings, enrolled):
    settings.KEFU_REQUIRE_2FA_FOR_ADMINS = True
    if enrolled:
        _enrol(personas.ada)
    client = Client()
    client.force_login(personas.ada)  # a session that never gave a code
    expected = "/login/?next=%2Fdesk%2F" if enrolled else "/account/security/"
    assert client.get("/desk/")["Location"] == expected
    agent = Client()
    agent.force_login(personas.alice)  # agents are not obliged
    assert agent.get("/desk/").status_code == 200


def test_wrong_codes_are_throttled_and_count_towards_the_lockout(personas):
    device, _ = _enrol(personas.alice)
    client = Client()
    _password(client, personas.alice)
    assert "not correct" in client.post("/login/code/", {"code": "000000"}).content.decode()
    failures = AccessAttempt.objects.get(username=personas.alice.email).failures_since_start
    assert failures == 1
    # Right away even the right code waits (django-otp doubles the wait with each wrong one).
    page = client.post("/login/code/", {"code": _code(device, offset=1)})
    assert "Wait 1 second" in page.content.decode() or "Wait 2 seconds" in page.content.decode()
    assert "_auth_user_id" not in client.session
