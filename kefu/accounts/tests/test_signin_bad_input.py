"""Nonsense sent to the sign-in pages gets a page or a clear error, never a server error."""

import pytest
from django.test import Client


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("post", "/login/", {"username": "x" * 5000, "password": "\x00"}),
        ("post", "/login/", {}),
        ("post", "/admin/login/", {"username": "", "password": ""}),
        ("get", "/login/code/", {}),
        ("post", "/login/code/", {"code": "1" * 500}),
        ("post", "/password/reset/", {"email": "not an address"}),
        ("post", "/password/reset/", {"email": "a@b." + "c" * 300}),
        ("get", "/password/reset/%%%/abc/", {}),
        ("get", "/password/reset/MQ/set-password/", {}),
        ("post", "/password/reset/MQ/set-password/", {"new_password1": "x"}),
        ("get", "/oidc/callback/", {"code": "x", "state": "y"}),
        ("get", "/account/security/", {}),
    ],
)
def test_nonsense_is_answered_without_a_server_error(personas, method, path, data):
    response = getattr(Client(), method)(path, data, follow=True)
    # 422: the input guard refuses a NUL character before the page sees it (kefu/input_guard.py).
    assert response.status_code in (200, 404, 422, 429)


def test_a_bad_code_format_is_named(personas):
    client = Client()
    client.force_login(personas.alice)
    page = client.post("/account/security/", {"code": "12ab"}).content.decode()
    assert "Enter the 6 digits your authenticator app shows." in page
