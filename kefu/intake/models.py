"""What the intake keeps: every inbound message's record, what could not be processed, the
mailboxes it reads, and the live chats."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.crypto import EncryptedTextField
from kefu.tickets.models import Channel, Message, Ticket


class Outcome(models.TextChoices):
    TICKET = "ticket", _("New ticket")
    MESSAGE = "message", _("Added to a ticket")
    DUPLICATE = "duplicate", _("Duplicate")
    AUTO_REPLY = "auto_reply", _("Auto-reply or bounce")
    IGNORED = "ignored", _("Ignored")
    QUARANTINED = "quarantined", _("Quarantined")


class InboundRecord(models.Model):
    """One row per inbound message ever seen: idempotency and the audit trail of intake."""

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    external_id = models.CharField(_("external id"), max_length=255)
    sender = models.CharField(_("sender"), max_length=255, blank=True)  # inbound_sender_time
    mailbox = models.CharField(_("mailbox"), max_length=20, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.SET_NULL)
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL)
    raw_path = models.CharField(_("raw payload"), max_length=200, blank=True)
    # Tells a redelivery (same fingerprint) from another message reusing the id.
    fingerprint = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="inbound_once")
        ]
        indexes = [models.Index(fields=["sender", "received_at"], name="inbound_sender_time")]

    def __str__(self) -> str:
        return f"{self.channel}:{self.external_id} → {self.outcome}"


class Quarantine(models.Model):
    """An inbound message that failed somewhere in the pipeline, kept raw with the reason."""

    class State(models.TextChoices):
        HELD = "held", _("Held")
        REPROCESSED = "reprocessed", _("Re-processed")
        DISCARDED = "discarded", _("Discarded")

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    external_id = models.CharField(_("external id"), max_length=255, blank=True)
    mailbox = models.CharField(_("mailbox"), max_length=20, blank=True)
    sender = models.CharField(_("sender"), max_length=255, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    stage = models.CharField(_("stage"), max_length=32)
    reason = models.TextField(_("reason"))
    raw_path = models.CharField(_("raw payload"), max_length=200)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.HELD)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("resulting ticket"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("quarantined"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("quarantined message")
        verbose_name_plural = _("quarantine")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "-created_at"], name="quarantine_state")]

    def __str__(self) -> str:
        return f"{self.channel} {self.sender}: {self.stage}"


class Mailbox(models.Model):
    """A support address by purpose (service@, merchant@, complaint@) and how to read it."""

    class Purpose(models.TextChoices):
        SERVICE = "service", _("Enterprise users (service@)")
        MERCHANT = "merchant", _("Merchants (merchant@)")
        COMPLAINT = "complaint", _("Complaints only (complaint@)")

    code = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, unique=True)
    address = models.EmailField(_("address"))
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("queue"), null=True, blank=True, on_delete=models.SET_NULL
    )
    imap_host = models.CharField(_("IMAP host"), max_length=255, blank=True)
    imap_port = models.PositiveIntegerField(_("IMAP port"), default=993)
    imap_ssl = models.BooleanField(_("IMAP over TLS"), default=True)
    imap_user = models.CharField(_("IMAP user"), max_length=255, blank=True)
    imap_password = EncryptedTextField(_("IMAP password"), blank=True)  # encrypted at rest
    imap_folder = models.CharField(_("folder"), max_length=120, default="INBOX")
    imap_done_folder = models.CharField(
        _("move processed mail to"),
        max_length=120,
        blank=True,
        help_text=_("Empty: flag processed mail as seen and leave it."),
    )
    poll_seconds = models.PositiveIntegerField(_("poll every (seconds)"), default=30)
    next_poll_at = models.DateTimeField(null=True, blank=True)
    uid_validity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    # Failed polls in a row: the backoff grows with it and a success resets it.
    poll_failures = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        indexes = [
            models.Index(fields=["next_poll_at"], name="mailbox_due", condition=~Q(imap_host=""))
        ]

    def __str__(self) -> str:
        return f"{self.code} <{self.address}>"

    @property
    def polls_imap(self) -> bool:
        return bool(self.imap_host)


PRESENCE_BELIEVED = timedelta(hours=12)


class ChatSession(models.Model):
    """A live chat: the bot first, then a person; its conversation lives on a ticket."""

    class State(models.TextChoices):
        BOT = "bot", _("With the bot")
        QUEUED = "queued", _("Waiting for an agent")
        ACTIVE = "active", _("With an agent")
        ENDED = "ended", _("Ended")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        NEUTRAL = "neutral", _("Neutral")
        UNSATISFIED = "unsatisfied", _("Unsatisfied")

    # The visitor's secret for resuming after a reconnect (kept in the widget's storage).
    token = models.CharField(max_length=64, unique=True)
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="chats"
    )
    visitor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="chats"
    )
    visitor_name = models.CharField(_("name"), max_length=150, blank=True)
    visitor_email = models.EmailField(_("email"), blank=True)
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.SET_NULL
    )
    order_id = models.CharField(_("order id"), max_length=64, blank=True)
    page_url = models.CharField(_("page"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=8, default="zh")
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.BOT)
    agent = models.ForeignKey(
        "accounts.Agent", null=True, blank=True, on_delete=models.SET_NULL, related_name="chats"
    )
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL)
    unresolved_turns = models.PositiveSmallIntegerField(default=0)
    handoff_reason = models.CharField(_("handoff reason"), max_length=40, blank=True)
    # The help articles the bot offered with each of its lines ({message id: [links]}), so a
    # resumed widget shows them again.
    offered_articles = models.JSONField(default=dict, blank=True)
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The visitor's open widgets (sockets) and when one last connected: a reply reaches an open
    # widget live, a visitor who left gets it by mail. A server that died with sockets open
    # leaves a count behind; the connection time bounds how long it is believed.
    visitor_sockets = models.PositiveSmallIntegerField(default=0)
    visitor_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("chat")
        verbose_name_plural = _("chats")
        indexes = [
            models.Index(fields=["state", "queued_at"], name="chat_queue"),
            models.Index(fields=["agent", "state"], name="chat_agent_state"),
        ]

    def __str__(self) -> str:
        return f"chat {self.pk} ({self.state})"

    @property
    def visitor_present(self) -> bool:
        if self.state == self.State.ENDED or self.visitor_sockets <= 0 or not self.visitor_seen_at:
            return False
        return timezone.now() - self.visitor_seen_at < PRESENCE_BELIEVED


# WeChat's tables live with their integration (``intake/wechat``) and belong to this app.
from kefu.intake.wechat.models import (  # noqa: E402, F401
    WechatAccount,
    WechatBindingCode,
    WechatFollower,
    WecomCustomer,
    WecomKfAccount,
)
