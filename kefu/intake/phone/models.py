"""Hotlines as admin data (lines, bilingual IVR menus) and what calls leave behind (calls,
callback tasks).

A line is a number the telephony platform sends to Kefu's voice webhook: the enterprise hotline
or the merchant hotline, each with its language, business calendar, signing secret and root
menu. A menu is a node of the IVR tree: a prompt in both languages and keyed options, each with
one action. A call row follows one call (``CallSid``) through the menu to a ticket; a callback
task is a due-at row the desk works (voicemail, a requested callback, a missed or abandoned call).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import Agent, Organization, User
from kefu.crypto import EncryptedTextField
from kefu.sla.models import BusinessCalendar, validate_target_text
from kefu.tickets.models import Category, Ticket

E164 = RegexValidator(
    r"^\+[1-9]\d{5,14}$", _("Enter the number in E.164 form, e.g. +864008001234.")
)


def validate_ed25519_key(value: str) -> None:
    from kefu.intake.phone.signature import load_ed25519_key

    if value and load_ed25519_key(value) is None:
        raise ValidationError(_("Enter the base64 Ed25519 public key shown by Telnyx."))


class Language(models.TextChoices):
    ZH = "zh", _("Chinese")
    EN = "en", _("English")


class IvrMenu(models.Model):
    """One node of an IVR tree: what the caller hears, then the keys they may press."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    prompt_zh = models.CharField(
        _("prompt (Chinese)"), max_length=300, help_text=_("Spoken before the options.")
    )
    prompt_en = models.CharField(_("prompt (English)"), max_length=300)

    class Meta:
        verbose_name = _("IVR menu")
        verbose_name_plural = _("IVR menus")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def prompt(self, language: str) -> str:
        return self.prompt_zh if language == Language.ZH else self.prompt_en


class IvrAction(models.TextChoices):
    SUBMENU = "submenu", _("Go to another menu")
    KB_ANSWER = "kb_answer", _("Read a help-centre answer")
    TICKET_STATUS = "ticket_status", _("Read a ticket's status (caller keys its number)")
    ORDER = "order", _("Collect an order number, then to an agent")
    CATEGORY = "category", _("Classify, then to an agent")
    QUEUE = "queue", _("To an agent with a skill")
    CALLBACK = "callback", _("Request a callback")
    EMERGENCY = "emergency", _("Emergency: the on-duty lead, around the clock")
    VOICEMAIL = "voicemail", _("Leave a voicemail")
    LANGUAGE = "language", _("Switch between Chinese and English")


KEYS = [(key, key) for key in "1234567890*#"]
# What each action needs besides its key and labels.
REQUIRED = {
    IvrAction.SUBMENU: ("submenu",),
    IvrAction.KB_ANSWER: ("article_slug",),
    IvrAction.CATEGORY: ("category",),
}


class IvrOption(models.Model):
    """A key of a menu: its label in both languages (read as "按 2 查询订单") and its action."""

    menu = models.ForeignKey(IvrMenu, on_delete=models.CASCADE, related_name="options")
    key = models.CharField(_("key"), max_length=1, choices=KEYS)
    label_zh = models.CharField(_("label (Chinese)"), max_length=80)
    label_en = models.CharField(_("label (English)"), max_length=80)
    action = models.CharField(_("action"), max_length=16, choices=IvrAction.choices)
    submenu = models.ForeignKey(
        IvrMenu,
        verbose_name=_("submenu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    article_slug = models.SlugField(_("help-centre article"), max_length=100, blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT
    )
    skill = models.CharField(
        _("agent skill"),
        max_length=40,
        blank=True,
        help_text=_("Agents with this skill take the call; empty: any agent."),
    )

    class Meta:
        verbose_name = _("IVR option")
        verbose_name_plural = _("IVR options")
        ordering = ["menu", "key"]
        constraints = [models.UniqueConstraint(fields=["menu", "key"], name="one_option_per_key")]

    def __str__(self) -> str:
        return f"{self.menu_id}:{self.key} {self.action}"

    def label(self, language: str) -> str:
        return self.label_zh if language == Language.ZH else self.label_en

    def clean(self) -> None:
        for name in REQUIRED.get(IvrAction(self.action), ()) if self.action else ():
            if not getattr(self, name) and not getattr(self, f"{name}_id", None):
                raise ValidationError({name: _("This action needs this field.")})


class PhoneLine(models.Model):
    """A hotline number pointed at Kefu's voice webhook."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise hotline")
        MERCHANT = "merchant", _("Merchant hotline")

    code = models.SlugField(
        _("code"), max_length=40, unique=True, help_text=_("In the webhook URL: /voice/<code>/…")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    number = models.CharField(_("number"), max_length=20, unique=True, validators=[E164])
    language = models.CharField(
        _("first language"), max_length=2, choices=Language.choices, default=Language.ZH
    )
    calendar = models.ForeignKey(
        BusinessCalendar,
        verbose_name=_("business calendar"),
        on_delete=models.PROTECT,
        help_text=_("Agents answer in its open hours; outside them callers leave a voicemail."),
    )
    menu = models.ForeignKey(IvrMenu, verbose_name=_("main menu"), on_delete=models.PROTECT)
    signing_secret = EncryptedTextField(
        _("signing secret"),
        blank=True,
        help_text=_("The platform's auth token that signs its requests (X-Twilio-Signature)."),
    )
    telnyx_public_key = models.CharField(
        _("Telnyx public key"),
        max_length=64,
        blank=True,
        validators=[validate_ed25519_key],
        help_text=_("For Telnyx TeXML: the account's public key (base64), which checks its "
                    "Ed25519 signatures. Empty: only X-Twilio-Signature is accepted."),
    )  # fmt: skip
    callback_within = models.CharField(
        _("call back within"),
        max_length=16,
        default="2h",
        validators=[validate_target_text],
        help_text=_("Business time on the line's calendar, e.g. 2h or 1d."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("phone line")
        verbose_name_plural = _("phone lines")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"


class Verification(models.TextChoices):
    REGISTERED_PHONE = "registered_phone", _("Verified: registered phone number")
    PIN = "pin", _("Verified: account id and phone PIN")
    AGENT = "agent", _("Verified: confirmed by an agent")
    UNVERIFIED = "unverified", _("Unverified caller")


class Call(models.Model):
    """One call (the platform's ``CallSid``), from the first ring to its end."""

    class State(models.TextChoices):
        IVR = "ivr", _("In the menu")
        QUEUED = "queued", _("Waiting for an agent")
        RINGING = "ringing", _("Ringing at an agent")
        ANSWERED = "answered", _("Answered")
        VOICEMAIL = "voicemail", _("Leaving a voicemail")
        ENDED = "ended", _("Ended")

    line = models.ForeignKey(PhoneLine, on_delete=models.PROTECT, related_name="calls")
    # Twilio's ids are 34 characters; Telnyx's call_control_id ("v3:…") is longer.
    call_sid = models.CharField(_("call id"), max_length=128, unique=True)
    from_number = models.CharField(_("caller"), max_length=32)
    to_number = models.CharField(_("number called"), max_length=32)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.IVR)
    path = models.JSONField(_("IVR path"), default=list, blank=True)
    order_id = models.CharField(_("order id"), max_length=64, blank=True)
    category = models.CharField(_("category"), max_length=40, blank=True)
    skill = models.CharField(_("agent skill"), max_length=40, blank=True)
    verification = models.CharField(
        _("verification"), max_length=20, choices=Verification.choices,
        default=Verification.UNVERIFIED,
    )  # fmt: skip
    caller = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    # Wrong account id + PIN attempts on this call; at PIN_TRIES the IVR stops offering it.
    pin_tries = models.PositiveSmallIntegerField(_("wrong PIN attempts"), default=0)
    verified_by = models.ForeignKey(
        Agent, verbose_name=_("verified by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    # The caller's own open ticket the call joins instead of opening one (keyed in the IVR).
    join_number = models.CharField(_("joins ticket"), max_length=20, blank=True)
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.SET_NULL)
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    agent = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    is_emergency = models.BooleanField(_("emergency"), default=False)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    platform_status = models.CharField(_("platform status"), max_length=20, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration (s)"), null=True, blank=True)
    recording_url = models.URLField(_("recording"), max_length=500, blank=True)
    voicemail_url = models.URLField(_("voicemail"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return self.call_sid


class PhonePin(models.Model):
    """A customer's phone PIN, set in the portal: with the account's phone account id (digits,
    keyable on a keypad) it verifies a caller from any number. Hashed like a password; never
    shown, never sent."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="phone_pin")
    account_number = models.CharField(_("phone account id"), max_length=12, unique=True)
    pin_hash = models.CharField(max_length=128)
    set_at = models.DateTimeField(_("set"), default=timezone.now)

    class Meta:
        verbose_name = _("phone PIN")
        verbose_name_plural = _("phone PINs")

    def __str__(self) -> str:
        return self.account_number


class CallbackTask(models.Model):
    """Someone to call back by ``due_at`` (business time on the line's calendar)."""

    class Reason(models.TextChoices):
        VOICEMAIL = "voicemail", _("Voicemail outside hours")
        REQUESTED = "requested", _("Callback requested")
        MISSED = "missed", _("No agent answered")
        ABANDONED = "abandoned", _("Caller hung up while waiting")

    line = models.ForeignKey(PhoneLine, on_delete=models.PROTECT, related_name="callbacks")
    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="callback")
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="callbacks"
    )
    number = models.CharField(_("number to call"), max_length=32)
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    due_at = models.DateTimeField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set once, by the sweeper's conditional UPDATE, when the task went past due undone.
    overdue_at = models.DateTimeField(_("reported overdue"), null=True, blank=True)

    class Meta:
        verbose_name = _("callback task")
        verbose_name_plural = _("callback tasks")
        ordering = ["due_at"]
        indexes = [
            # Only tasks that can still go overdue: the sweeper's scan stays tiny.
            models.Index(
                fields=["due_at"],
                name="callback_overdue_due",
                condition=Q(done_at=None, overdue_at=None),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.reason}"
