"""Staff sign in with OpenID Connect against a real (fake) provider on 127.0.0.1: matched by
verified email ignoring case; customers, strangers and unverified emails are refused, saying why."""

from urllib.parse import urlparse

import httpx
import pytest
from django.test import Client

from kefu.accounts import actions
from kefu.accounts.tests.fake_oidc import CLIENT_ID, CLIENT_SECRET, FakeProvider
from kefu.testing import free_port


@pytest.fixture
def provider(settings):
    with FakeProvider() as fake:
        settings.KEFU_OIDC_ISSUER = fake.issuer
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        yield fake


def _sso(client: Client, provider: FakeProvider, email: str):
    """Start at Kefu, let the provider's authorize endpoint answer over real HTTP, come back."""
    provider.email = email
    start = client.get("/oidc/authenticate/")
    assert start.status_code == 302 and start["Location"].startswith(provider.issuer)
    back = httpx.get(start["Location"], follow_redirects=False)
    assert back.status_code == 302
    callback = urlparse(back.headers["location"])
    return client.get(f"{callback.path}?{callback.query}", follow=True)


def _user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def test_a_staff_member_signs_in_with_sso(personas, provider):
    client = Client()
    page = _sso(client, provider, "Alice@KEFU.test")
    assert _user_id(client) == str(personas.alice.pk)
    assert client.session["_auth_user_backend"] == "kefu.accounts.oidc.StaffOIDCBackend"
    assert page.redirect_chain[-1][0] == "/desk/"


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("anna@acme.test", "Single sign-on is for support staff."),
        ("nobody@kefu.test", "No staff account uses this email address."),
    ],
)
def test_customers_and_strangers_are_refused(personas, provider, email, message):
    client = Client()
    page = _sso(client, provider, email)
    assert _user_id(client) is None
    assert page.redirect_chain[-1][0] == "/login/"
    assert message in page.content.decode()


def test_the_refusal_speaks_the_users_language(personas, provider):
    client = Client(headers={"Accept-Language": "zh-CN"})
    page = _sso(client, provider, "otto@orbit.test")
    assert "单点登录仅供客服人员使用" in page.content.decode()


def test_an_unverified_email_is_refused(personas, provider):
    provider.email_verified = False
    page = _sso(Client(), provider, personas.alice.email)
    assert "has not verified this email address" in page.content.decode()


def test_an_id_token_for_another_client_is_refused(personas, provider):
    provider.audience = "someone-else"
    client = Client()
    page = _sso(client, provider, personas.alice.email)
    assert _user_id(client) is None
    assert "Single sign-on did not complete" in page.content.decode()


def test_a_forged_callback_is_refused_without_an_error_page(personas, provider):
    client = Client()
    client.get("/oidc/authenticate/")
    page = client.get("/oidc/callback/?code=stolen&state=made-up", follow=True)
    assert page.status_code == 200 and _user_id(client) is None
    assert "Single sign-on did not complete" in page.content.decode()


def test_staff_with_an_authenticator_still_give_a_code(personas, provider):
    device = actions.start_totp_enrolment(user=personas.lena)
    device.confirmed = True
    device.save()
    client = Client()
    page = _sso(client, provider, personas.lena.email)
    assert _user_id(client) is None
    assert page.redirect_chain[-1][0] == "/login/code/"


def test_the_button_shows_only_when_configured(db, settings):
    assert "Sign in with SSO" not in Client().get("/login/").content.decode()
    assert Client().get("/oidc/authenticate/").status_code == 404
    settings.KEFU_OIDC_ISSUER = f"http://127.0.0.1:{free_port()}"  # nobody listens there
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    assert "Sign in with SSO" in Client().get("/login/").content.decode()
    page = Client().get("/oidc/authenticate/", follow=True)
    assert "cannot be reached" in page.content.decode()
