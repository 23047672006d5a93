"""Passwords set through Kefu follow Django's validators (10+ characters, not common, not all
digits, not like the email), with the reasons in the user's language."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def _choose(user, password: str, **headers: str) -> str:
    client = Client(headers=headers)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    form_url = client.get(f"/password/reset/{uid}/{token}/", follow=True).redirect_chain[-1][0]
    page = client.post(form_url, {"new_password1": password, "new_password2": password})
    assert page.status_code == 200  # the form again, with the reasons
    return page.content.decode()


@pytest.mark.parametrize(
    ("password", "reason_en", "reason_zh"),
    [
        ("short-pw1", "at least 10 characters", "至少需要包含 10 个字符"),
        ("1234567890123", "entirely numeric", "只包含数字"),
        ("password1234", "too common", "太常见"),
        ("anna.acme.test", "too similar to the email", "相似"),
    ],
)
def test_weak_passwords_are_refused_on_reset_with_the_reason(
    personas, password, reason_en, reason_zh
):
    assert reason_en in _choose(personas.anna, password)
    assert reason_zh in _choose(personas.anna, password, **{"Accept-Language": "zh-CN"})
    personas.anna.refresh_from_db()
    assert not personas.anna.check_password(password)


def test_createadmin_refuses_a_weak_password(db):
    with pytest.raises(CommandError, match="at least 10 characters"):
        call_command("createadmin", "--email", "root@kefu.test", "--password", "short")


def test_the_admins_user_form_applies_the_rules(personas):
    admin = Client()
    admin.force_login(personas.ada)
    page = admin.post(
        "/admin/accounts/user/add/",
        {
            "email": "new@kefu.test",
            "password1": "12345678901",
            "password2": "12345678901",
            "usable_password": "true",
        },
    )
    assert page.status_code == 200 and "entirely numeric" in page.content.decode()
