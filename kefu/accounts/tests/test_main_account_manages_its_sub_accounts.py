"""The main account manages its sub-accounts in the portal: an invitation mailed through the
outbox with a signed, one-use, expiring link where the invitee chooses a password; scopes set and
changed; deactivation and reactivation; every change in the audit log. Sub-accounts manage
nobody (403), another organisation's accounts are 404, and bad forms are 422 in the user's
language."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client

from kefu.accounts.invite import INVITE_TIMEOUT, invite_tokens
from kefu.accounts.models import Account, User
from kefu.audit.models import AuditEntry, Kind
from kefu.delivery.models import Delivery
from kefu.testing import api_client, make_ticket

S = Account.Scope
NEW_PASSWORD = "harbour-lantern-47"


def session_client(user: User) -> Client:
    """A signed-in browser-like client (CSRF is checked by the browser test)."""
    client = Client()
    client.force_login(user)
    return client


def _invite(client: Client, email: str = "mia@acme.test", **fields: object):
    data = {"email": email, "name": "Mia", "language": "en", **fields}
    return client.post("/portal/team/", data)


def _signs_in(email: str, password: str) -> bool:
    response = Client().post("/login/", {"username": email, "password": password})
    return response.status_code == 302


def _link(mail: Delivery) -> str:
    found = re.search(r"https?://\S+/invite/\S+/", mail.text)
    assert found, mail.text
    return found.group(0)


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def _accept(link: str, password: str = NEW_PASSWORD):
    client = Client()
    landing = client.get(_path(link), follow=True)  # Django moves the token into the session
    chosen = client.post(
        landing.redirect_chain[-1][0] if landing.redirect_chain else _path(link),
        {"new_password1": password, "new_password2": password},
        follow=True,
    )
    return landing, chosen


@pytest.mark.django_db
def test_an_invitee_chooses_a_password_through_the_mailed_link_once(personas, settings):
    settings.SITE_URL = "https://support.example.com"
    anna = session_client(personas.anna)
    response = _invite(anna, scopes=[S.CREATE_TICKETS, S.ORDER_TICKETS])
    assert response.status_code == 302
    mia = User.objects.get(email="mia@acme.test")
    assert mia.account.organization == personas.acme and not mia.account.is_main
    assert mia.account.scopes == sorted([S.CREATE_TICKETS, S.ORDER_TICKETS])
    assert not mia.has_usable_password()

    mail = Delivery.objects.get(to=["mia@acme.test"])
    assert mail.state == "pending" and "Acme Trading" in mail.subject and mail.html
    link = _link(mail)
    assert link.startswith("https://support.example.com/invite/")

    landing, chosen = _accept(link)
    assert b"Choose your password" in landing.content and b"mia@acme.test" in landing.content
    assert chosen.status_code == 200 and b"Your password is set" in chosen.content
    assert _signs_in("mia@acme.test", NEW_PASSWORD)

    again, _ = _accept(link, "another-password-91")
    assert b"This link no longer works" in again.content  # one use
    assert _signs_in("mia@acme.test", NEW_PASSWORD)

    entry = AuditEntry.objects.get(kind=Kind.ACCOUNT_INVITED)
    assert entry.actor_id == personas.anna.pk and f"user {mia.pk}" in entry.target


@pytest.mark.django_db
def test_the_invitation_is_in_the_invitees_language_and_expires_after_a_week(personas):
    _invite(session_client(personas.anna), email="li@acme.test", language="zh-hans")
    mail = Delivery.objects.get(to=["li@acme.test"])
    assert "受邀" in mail.subject and "只能使用一次" in mail.text
    li = User.objects.get(email="li@acme.test")
    token = _link(mail).rstrip("/").rsplit("/", 1)[1]
    assert invite_tokens.check_token(li, token)
    later = invite_tokens._now() + INVITE_TIMEOUT + timedelta(minutes=1)
    with mock.patch.object(type(invite_tokens), "_now", return_value=later):
        assert not invite_tokens.check_token(li, token)
        landing, _ = _accept(_link(mail))
    assert b"This link no longer works" in landing.content


@pytest.mark.django_db
def test_a_password_reset_token_is_not_an_invitation(personas):
    from django.contrib.auth.tokens import default_token_generator

    _invite(session_client(personas.anna))
    mia = User.objects.get(email="mia@acme.test")
    assert not invite_tokens.check_token(mia, default_token_generator.make_token(mia))


@pytest.mark.django_db
def test_the_main_account_changes_scopes_and_each_change_is_audited(personas):
    sam = personas.sam.account
    anna = session_client(personas.anna)
    page = anna.get("/portal/team/")
    assert page.status_code == 200 and b"sam@acme.test" in page.content
    response = anna.post(
        f"/portal/team/{sam.pk}/scopes/", {f"a{sam.pk}-scopes": [S.BILLING_TICKETS]}
    )
    assert response.status_code == 302
    sam.refresh_from_db()
    assert sam.scopes == [S.BILLING_TICKETS]
    entry = AuditEntry.objects.get(kind=Kind.PERMISSION_CHANGED)
    assert entry.actor_id == personas.anna.pk
    assert entry.detail["scopes"]["new"] == [S.BILLING_TICKETS]
    assert sorted(entry.detail["scopes"]["old"]) == sorted([S.CREATE_TICKETS, S.ORDER_TICKETS])

    anna.post(f"/portal/team/{sam.pk}/scopes/", {})  # nothing ticked: no permission at all
    sam.refresh_from_db()
    assert sam.scopes == []
    assert AuditEntry.objects.filter(kind=Kind.PERMISSION_CHANGED).count() == 2


@pytest.mark.django_db
def test_a_deactivated_sub_account_is_signed_out_everywhere_until_reactivated(personas):
    sam_user = personas.sam
    make_ticket(sam_user)
    sam_session, sam_api = session_client(sam_user), api_client(sam_user)
    assert sam_session.get("/portal/").status_code == 200
    anna = session_client(personas.anna)
    account_id = sam_user.account.pk

    assert anna.post(f"/portal/team/{account_id}/active/", {"active": "0"}).status_code == 302
    sam_user.refresh_from_db()
    assert not sam_user.is_active
    assert sam_session.get("/portal/").status_code == 302  # to the sign-in page
    assert sam_api.get("/api/v1/tickets").status_code == 401
    assert not _signs_in(sam_user.email, "persona-password-1")
    assert b"Deactivated" in anna.get("/portal/team/").content

    anna.post(f"/portal/team/{account_id}/active/", {"active": "1"})
    assert _signs_in(sam_user.email, "persona-password-1")
    kinds = AuditEntry.objects.filter(kind__startswith="account_").order_by("id")
    assert list(kinds.values_list("kind", flat=True)) == [
        Kind.ACCOUNT_DEACTIVATED,
        Kind.ACCOUNT_REACTIVATED,
    ]
    assert {entry.actor_id for entry in kinds} == {personas.anna.pk}
    assert api_client(sam_user).get("/api/v1/tickets").json()["count"] == 1  # tickets kept


@pytest.mark.django_db
def test_sub_accounts_manage_nobody(personas):
    sam = session_client(personas.sam)
    anna_account = personas.anna.account
    assert sam.get("/portal/team/").status_code == 403
    assert _invite(sam).status_code == 403
    assert sam.post(f"/portal/team/{anna_account.pk}/active/", {"active": "0"}).status_code == 403
    assert not User.objects.filter(email="mia@acme.test").exists()
    assert User.objects.get(pk=personas.anna.pk).is_active
    assert b"/portal/team/" not in sam.get("/portal/").content  # no link to a page it cannot use
    assert not AuditEntry.objects.filter(kind__startswith="account_").exists()


@pytest.mark.django_db
def test_another_organisations_accounts_are_not_found(personas):
    otto = session_client(personas.otto)
    sam = personas.sam.account
    assert otto.post(f"/portal/team/{sam.pk}/active/", {"active": "0"}).status_code == 404
    assert otto.post(f"/portal/team/{sam.pk}/scopes/", {f"a{sam.pk}-scopes": []}).status_code == 404
    assert b"sam@acme.test" not in otto.get("/portal/team/").content
    anna = session_client(personas.anna)
    main = personas.anna.account  # the main account is not a sub-account to switch off
    assert anna.post(f"/portal/team/{main.pk}/active/", {"active": "0"}).status_code == 404
    personas.sam.refresh_from_db()
    assert personas.sam.is_active and Account.objects.get(pk=sam.pk).scopes == sam.scopes


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "email", "expected"),
    [
        ("en", "not-an-address", "Enter a valid email address, e.g. li.lei@example.com."),
        ("en", "", "Enter the email address to send the invitation to."),
        ("en", "SAM@acme.test", "A user with this email already exists."),
        ("zh-hans", "not-an-address", "请填写有效的电子邮箱地址"),
        ("zh-hans", "sam@acme.test", "已有用户使用此邮箱"),
    ],
)
def test_bad_invitations_get_a_422_naming_the_field_in_the_users_language(
    personas, language, email, expected
):
    personas.anna.language = language
    personas.anna.save()
    anna = session_client(personas.anna)
    anna.cookies.load({"django_language": language})
    response = _invite(anna, email=email)
    assert response.status_code == 422
    html = response.content.decode()
    assert expected in html
    assert 'class="field invalid">' in html or "field invalid" in html
    assert Delivery.objects.count() == 0


@pytest.mark.django_db
def test_an_unknown_scope_is_refused_with_422(personas):
    anna = session_client(personas.anna)
    sam = personas.sam.account
    response = anna.post(f"/portal/team/{sam.pk}/scopes/", {f"a{sam.pk}-scopes": ["superuser"]})
    assert response.status_code == 422
    assert "“superuser” is not a permission." in response.content.decode()
    assert Account.objects.get(pk=sam.pk).scopes == sam.scopes
