"""Password reset by email: the same answer for every address, a mail (queued in the outbox, in
the account's language) only for a known one, a link that works once and then never again."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kefu.delivery.models import Delivery
from kefu.testing import PASSWORD

NEW_PASSWORD = "harbour-lantern-47"


def _ask(email: str, **headers: str):
    return Client(headers=headers).post("/password/reset/", {"email": email}, follow=True)


def _without_csrf(page: bytes) -> bytes:
    """The page less its CSRF tokens, which differ on every response."""
    return re.sub(rb'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', rb"\1", page)


def _link(mail: Delivery) -> str:
    found = re.search(r"https?://\S+/password/reset/\S+/", mail.text)
    assert found, mail.text
    return found.group(0)


@pytest.mark.parametrize("headers", [{}, {"Accept-Language": "zh-CN"}])
def test_known_and_unknown_addresses_get_the_same_answer(personas, headers):
    known = _ask(personas.anna.email, **headers)
    unknown = _ask("nobody@acme.test", **headers)
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert _without_csrf(known.content) == _without_csrf(unknown.content)
    assert list(Delivery.objects.values_list("to", flat=True)) == [[personas.anna.email]]


def test_the_mail_is_queued_in_the_accounts_language_with_a_link_to_the_site(personas, settings):
    settings.SITE_URL = "https://support.example.com"
    _ask(personas.otto.email.upper())  # otto reads Chinese; case does not matter
    mail = Delivery.objects.get()
    assert (mail.kind, mail.to, mail.state) == ("notification", [personas.otto.email], "pending")
    assert "重置" in mail.subject and "只能使用一次" in mail.text and mail.html
    assert _link(mail).startswith("https://support.example.com/password/reset/")


def test_the_link_sets_a_new_password_once(personas):
    _ask(personas.sam.email)
    link = _link(Delivery.objects.get()).split("://", 1)[1].split("/", 1)[1]
    client = Client()
    form_page = client.get("/" + link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Your new password is set" in done.content.decode()
    personas.sam.refresh_from_db()
    assert personas.sam.check_password(NEW_PASSWORD)
    again = Client().get("/" + link, follow=True)
    assert "This link no longer works" in again.content.decode()


def test_an_expired_link_does_not_work(personas, settings):
    settings.PASSWORD_RESET_TIMEOUT = -1  # every token is already too old
    uid = urlsafe_base64_encode(force_bytes(personas.anna.pk))
    token = default_token_generator.make_token(personas.anna)
    page = Client().get(f"/password/reset/{uid}/{token}/", follow=True)
    assert "This link no longer works" in page.content.decode()


def test_no_mail_for_inactive_accounts_or_contacts(personas):
    personas.bob.is_active = False
    personas.bob.save()
    from kefu.accounts.actions import create_contact

    create_contact(email="stranger@mail.test")
    _ask(personas.bob.email)
    _ask("stranger@mail.test")
    assert not Delivery.objects.exists()


def test_a_reset_lifts_a_lockout(personas):
    client = Client()
    for _ in range(50):
        client.post("/login/", {"username": personas.anna.email, "password": "wrong"})
    uid = urlsafe_base64_encode(force_bytes(personas.anna.pk))
    token = default_token_generator.make_token(personas.anna)
    reset = Client()
    form_url = reset.get(f"/password/reset/{uid}/{token}/", follow=True).redirect_chain[-1][0]
    reset.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    signed_in = Client().post(
        "/login/", {"username": personas.anna.email, "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    old = Client().post("/login/", {"username": personas.anna.email, "password": PASSWORD})
    assert old.status_code == 200  # the old password no longer works


def test_reset_requests_are_limited_without_telling(personas):
    """Past five requests an hour for one address nothing more is mailed, and the page is the
    same, so neither a mailbox can be flooded nor the limit used to find accounts."""
    answers = [_ask(personas.anna.email) for _ in range(7)]
    assert Delivery.objects.count() == 5
    assert {_without_csrf(a.content) for a in answers} == {_without_csrf(answers[0].content)}
    assert {a.status_code for a in answers} == {200}
