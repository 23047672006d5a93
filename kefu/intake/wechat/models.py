"""WeChat Official Accounts (公众号) as admin data, their followers, and one-time binding codes.

An account's Token, EncodingAESKey and AppSecret are secrets: stored encrypted
(``EncryptedTextField``), as is the cached access_token. A follower is one OpenID of one account;
it points at the Kefu user its messages come from: a contact made for it, or, once bound with a
code from the portal, the customer account's own user. ``ticket`` is the conversation's ticket,
which the follower's next messages continue while it is open.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.crypto import EncryptedTextField
from kefu.tickets.models import Ticket

aes_key_format = RegexValidator(
    r"^[A-Za-z0-9]{43}$", _("The EncodingAESKey is 43 letters and digits.")
)


class WechatAccount(models.Model):
    class Mode(models.TextChoices):
        PLAIN = "plain", _("Plaintext mode")
        COMPATIBLE = "compatible", _("Compatible mode")
        SAFE = "safe", _("Safe mode")

    code = models.SlugField(
        _("code"), max_length=32, unique=True, help_text=_("Its server URL is /wechat/<code>/.")
    )
    name = models.CharField(_("name"), max_length=100)
    app_id = models.CharField(_("AppID"), max_length=32)
    token = EncryptedTextField(_("Token"))
    encoding_aes_key = EncryptedTextField(_("EncodingAESKey"), blank=True)
    app_secret = EncryptedTextField(_("AppSecret"), blank=True)
    mode = models.CharField(
        _("message encryption"),
        max_length=10,
        choices=Mode.choices,
        default=Mode.SAFE,
        help_text=_("In safe mode, pushes that are not encrypted are refused."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    access_token = EncryptedTextField(blank=True)
    access_token_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("WeChat Official Account")
        verbose_name_plural = _("WeChat Official Accounts")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class WechatFollower(models.Model):
    account = models.ForeignKey(
        WechatAccount, verbose_name=_("account"), on_delete=models.CASCADE, related_name="followers"
    )
    openid = models.CharField(_("OpenID"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="wechat_followers",
    )
    # Set when a customer account bound this OpenID with a code from the portal.
    bound_at = models.DateTimeField(_("bound"), null=True, blank=True)
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), null=True, blank=True, on_delete=models.SET_NULL
    )
    subscribed = models.BooleanField(_("follows the account"), default=True)
    first_seen_at = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)

    class Meta:
        verbose_name = _("WeChat follower")
        verbose_name_plural = _("WeChat followers")
        constraints = [
            models.UniqueConstraint(fields=["account", "openid"], name="wechat_follower_once")
        ]

    def __str__(self) -> str:
        return f"{self.account.code}:{self.openid}"

    @property
    def is_bound(self) -> bool:
        return self.bound_at is not None


class WechatBindingCode(models.Model):
    """A one-time code a customer account shows in the portal and sends to the account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wechat_binding_codes"
    )
    # sha256 of the code: the code itself is shown once and never stored.
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(WechatFollower, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("WeChat binding code")
        verbose_name_plural = _("WeChat binding codes")

    def __str__(self) -> str:
        return f"{self.user_id} until {self.expires_at:%Y-%m-%d %H:%M}"


class WecomKfAccount(models.Model):
    """A WeCom customer-service account (企业微信 · 微信客服) whose callbacks come to
    ``/wecom/<code>/``. Its Secret, Token and EncodingAESKey are secrets, stored encrypted, as is
    the cached access_token. ``cursor`` is where ``sync_msg`` stopped; ``sync_due_at`` is set by a
    callback and cleared by the sweeper that pulls (``wecom.py``)."""

    code = models.SlugField(
        _("code"), max_length=32, unique=True, help_text=_("Its callback URL is /wecom/<code>/.")
    )
    name = models.CharField(_("name"), max_length=100)
    corp_id = models.CharField(_("CorpID"), max_length=64)
    secret = EncryptedTextField(_("Secret"))
    token = EncryptedTextField(_("Token"))
    encoding_aes_key = EncryptedTextField(_("EncodingAESKey"))
    open_kfid = models.CharField(
        _("OpenKfId"),
        max_length=64,
        blank=True,
        help_text=_("The customer-service account to pull; empty: every account of the corp."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    cursor = models.CharField(max_length=255, blank=True, default="")
    sync_token = models.CharField(max_length=255, blank=True, default="")
    sync_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    sync_failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(_("last error"), blank=True, default="")
    access_token = EncryptedTextField(blank=True)
    access_token_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("WeCom customer-service account")
        verbose_name_plural = _("WeCom customer-service accounts")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class WecomCustomer(models.Model):
    """One WeChat user (external_userid) writing to a WeCom customer-service account: a contact
    made for it, like an unbound Official Account follower; ``ticket`` is its conversation."""

    account = models.ForeignKey(
        WecomKfAccount, verbose_name=_("account"), on_delete=models.CASCADE,
        related_name="customers",
    )  # fmt: skip
    external_userid = models.CharField(_("external_userid"), max_length=64)
    open_kfid = models.CharField(_("OpenKfId"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="wecom_customers",
    )  # fmt: skip
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), null=True, blank=True, on_delete=models.SET_NULL
    )
    first_seen_at = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)

    class Meta:
        verbose_name = _("WeCom customer")
        verbose_name_plural = _("WeCom customers")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "external_userid"], name="wecom_customer_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account.code}:{self.external_userid}"
