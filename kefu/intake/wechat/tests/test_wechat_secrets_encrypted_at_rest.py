"""An Official Account's Token, EncodingAESKey, AppSecret and cached access_token are stored
encrypted; the admin form never shows them and keeps them when left empty; bad keys are refused
with the rule."""

from __future__ import annotations

import pytest
from django.db import connection

from kefu.intake.wechat.admin import WechatAccountForm
from kefu.intake.wechat.models import WechatAccount
from kefu.intake.wechat.tests.fakes import AES_KEY, APP_SECRET, TOKEN, make_account
from kefu.testing import session_client


def _stored(account: WechatAccount) -> tuple[str, ...]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT token, encoding_aes_key, app_secret, access_token FROM intake_wechataccount "
            "WHERE id = %s",
            [account.pk],
        )
        return tuple(cursor.fetchone())


@pytest.mark.django_db
def test_the_secrets_are_encrypted_in_the_database_and_read_back_in_clear(personas):
    account = make_account()
    WechatAccount.objects.filter(pk=account.pk).update(access_token="live-token-123")
    stored = _stored(account)
    assert all(value.startswith("fernet1:") for value in stored)
    # (The Token "AAAAA" is too short to look for: every Fernet token starts "gAAAAA".)
    for secret in (AES_KEY, APP_SECRET, "live-token-123"):
        assert not any(secret in value for value in stored)
    again = WechatAccount.objects.get()
    assert (again.token, again.encoding_aes_key, again.app_secret) == (TOKEN, AES_KEY, APP_SECRET)


@pytest.mark.django_db
def test_the_admin_never_shows_a_secret_and_keeps_it_when_left_empty(personas):
    account = make_account()
    page = session_client(personas.ada).get(f"/admin/intake/wechataccount/{account.pk}/change/")
    assert page.status_code == 200
    assert APP_SECRET not in page.content.decode() and AES_KEY not in page.content.decode()
    form = WechatAccountForm(
        {
            "code": "demo",
            "name": "Kefu",
            "app_id": account.app_id,
            "mode": "safe",
            "is_active": "on",
        },
        instance=account,
    )
    assert form.is_valid(), form.errors
    form.save()
    again = WechatAccount.objects.get()
    assert (again.token, again.encoding_aes_key, again.app_secret) == (TOKEN, AES_KEY, APP_SECRET)


@pytest.mark.django_db
def test_a_bad_encoding_aes_key_or_token_is_refused_with_the_rule(personas):
    form = WechatAccountForm({"code": "x", "name": "X", "app_id": "wx1", "mode": "safe",
                              "token": "a!", "encoding_aes_key": "short"})  # fmt: skip
    assert not form.is_valid()
    assert "43" in str(form.errors["encoding_aes_key"])
    assert "3" in str(form.errors["token"])
