"""KEFU_HTTPS=true: session, CSRF and language cookies only over HTTPS, HSTS for a year, and
the CSP asks browsers to upgrade any http:// subresource. Off by default, so the quick start
over plain http://127.0.0.1:8000 still signs in."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kefu.testing import PASSWORD

SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE, "
    "s.SECURE_HSTS_SECONDS, s.CONTENT_SECURITY_POLICY['DIRECTIVES']['upgrade-insecure-requests']]))"
)


def _settings_with(tmp_path, **extra: str) -> list[object]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "KEFU_HTTPS")}
    env.update(KEFU_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="kefu.settings", **extra)
    done = subprocess.run([sys.executable, "-c", SHOW], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_kefu_https_turns_on_secure_cookies_hsts_and_upgrades(tmp_path):
    assert _settings_with(tmp_path, KEFU_HTTPS="true") == [True, True, True, 31536000, True]


def test_plain_http_by_default(settings):
    assert (settings.SESSION_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS) == (False, 0)


@pytest.mark.django_db
def test_over_https_the_cookies_are_secure_and_hsts_is_sent(personas, settings, client):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    page = client.get("/login/", secure=True)
    assert page["Strict-Transport-Security"] == "max-age=31536000"
    assert page.cookies["csrftoken"]["secure"] is True
    form = {"username": personas.anna.email, "password": PASSWORD,
            "csrfmiddlewaretoken": page.cookies["csrftoken"].value}  # fmt: skip
    signed_in = client.post("/login/", form, secure=True)
    assert signed_in.status_code == 302
    assert signed_in.cookies["sessionid"]["secure"] is True
    assert "Strict-Transport-Security" not in client.get("/login/")  # plain http: not sent
