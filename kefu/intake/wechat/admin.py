"""Admin for WeChat: Official Accounts and WeCom customer-service accounts (their secrets are
write-only fields, stored encrypted) and, read-only, their followers and customers."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kefu.admin import ReadOnlyAdmin
from kefu.intake.wechat.models import WechatAccount, WechatFollower, WecomCustomer, WecomKfAccount

KEEP = _("Never shown. Leave empty to keep the current value.")
SECRETS = ("token", "encoding_aes_key", "app_secret")


def _secret(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=KEEP,
    )


class WechatAccountForm(forms.ModelForm):
    token = _secret(_("Token"))
    encoding_aes_key = _secret(_("EncodingAESKey"))
    app_secret = _secret(_("AppSecret"))

    class Meta:
        model = WechatAccount
        fields = ["code", "name", "app_id", "token", "encoding_aes_key", "app_secret", "mode",
                  "is_active"]  # fmt: skip

    def _kept(self, name: str) -> str:
        entered = self.cleaned_data[name]
        return entered or (getattr(self.instance, name) if self.instance.pk else "")

    def clean_token(self) -> str:
        token = self._kept("token")
        if not re.fullmatch(r"[A-Za-z0-9]{3,32}", token):
            raise forms.ValidationError(_("The Token is 3 to 32 letters and digits."))
        return token

    def clean_encoding_aes_key(self) -> str:
        key = self._kept("encoding_aes_key")
        if key and not re.fullmatch(r"[A-Za-z0-9]{43}", key):
            raise forms.ValidationError(_("The EncodingAESKey is 43 letters and digits."))
        return key

    def clean_app_secret(self) -> str:
        return self._kept("app_secret")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("mode") != WechatAccount.Mode.PLAIN and not data.get("encoding_aes_key"):
            self.add_error(
                "encoding_aes_key", _("Compatible and safe mode need the EncodingAESKey.")
            )
        return data


@admin.register(WechatAccount)
class WechatAccountAdmin(admin.ModelAdmin):
    form = WechatAccountForm
    list_display = ["code", "name", "app_id", "mode", "is_active"]
    readonly_fields = ["access_token_expires_at"]


@admin.register(WechatFollower)
class WechatFollowerAdmin(ReadOnlyAdmin):
    list_display = ["account", "openid", "user", "bound_at", "subscribed", "last_seen_at"]
    list_filter = ["account", "subscribed"]
    search_fields = ["openid", "user__email", "user__name"]


class WecomKfAccountForm(forms.ModelForm):
    secret = _secret(_("Secret"))
    token = _secret(_("Token"))
    encoding_aes_key = _secret(_("EncodingAESKey"))

    class Meta:
        model = WecomKfAccount
        fields = ["code", "name", "corp_id", "secret", "token", "encoding_aes_key", "open_kfid",
                  "is_active"]  # fmt: skip

    def _kept(self, name: str) -> str:
        entered = self.cleaned_data[name]
        return entered or (getattr(self.instance, name) if self.instance.pk else "")

    def clean_secret(self) -> str:
        secret = self._kept("secret")
        if not secret:
            raise forms.ValidationError(_("The Secret is needed to pull and send messages."))
        return secret

    def clean_token(self) -> str:
        token = self._kept("token")
        if not re.fullmatch(r"[A-Za-z0-9]{3,32}", token):
            raise forms.ValidationError(_("The Token is 3 to 32 letters and digits."))
        return token

    def clean_encoding_aes_key(self) -> str:
        key = self._kept("encoding_aes_key")
        if not re.fullmatch(r"[A-Za-z0-9]{43}", key):
            raise forms.ValidationError(_("The EncodingAESKey is 43 letters and digits."))
        return key


@admin.register(WecomKfAccount)
class WecomKfAccountAdmin(admin.ModelAdmin):
    form = WecomKfAccountForm
    list_display = ["code", "name", "corp_id", "open_kfid", "is_active", "last_error"]
    readonly_fields = ["last_error", "access_token_expires_at"]


@admin.register(WecomCustomer)
class WecomCustomerAdmin(ReadOnlyAdmin):
    list_display = ["account", "external_userid", "open_kfid", "user", "ticket", "last_seen_at"]
    list_filter = ["account"]
    search_fields = ["external_userid", "user__email", "user__name"]
