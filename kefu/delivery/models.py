"""The outbox: every outward effect of a change, written in the change's own transaction and
delivered after commit by the worker (``delivery.outbox``), with retries and a visible history.

One row is one delivery to one destination: a mail (to its recipients) or a webhook call (to one
subscription). Its ``key`` is unique and travels with it: the mail's Message-ID, the webhook's
``X-Kefu-Delivery``, so receivers can tell a redelivery from a new message.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.tickets.models import Message, Ticket


class Delivery(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        WEBHOOK = "webhook", _("Webhook")
        WECHAT = "wechat", _("WeChat")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed; retrying")
        DEAD = "dead", _("Gave up")

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "ack", _("Acknowledgement")
        REPLY = "reply", _("Reply")
        NOTIFICATION = "notification", _("Notification")
        REFUSED_FILES = "refused_files", _("Refused attachments")
        EVENT = "event", _("Event")

    channel = models.CharField(
        _("channel"), max_length=8, choices=Channel.choices, default=Channel.EMAIL
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    key = models.CharField(_("delivery id"), max_length=255)  # unique: Meta.constraints
    ticket = models.ForeignKey(
        Ticket,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
        db_index=False,  # led by delivery_ticket_time
    )
    # The ticket message this delivers (a reply); empty for notifications.
    ticket_message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    # Mail.
    from_address = models.CharField(_("from"), max_length=255, blank=True)
    to = models.JSONField(_("to"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    text = models.TextField(_("text"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    in_reply_to = models.CharField(max_length=255, blank=True)
    references = models.TextField(blank=True)
    # Webhook calls.
    subscription = models.ForeignKey(
        "webhooks.Subscription",
        verbose_name=_("webhook"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.CharField(_("event"), max_length=40, blank=True)
    payload = models.JSONField(_("payload"), null=True, blank=True)
    # Delivery state.
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Claims whose lease ran out: the worker died while sending, so it may have gone out once.
    lost_leases = models.PositiveSmallIntegerField(_("lost leases"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        # Looked up whole, never by prefix: a constraint, not unique=True, which would add a
        # "_like" index on PostgreSQL written with every delivery.
        constraints = [models.UniqueConstraint(fields=["key"], name="delivery_key_unique")]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_due",
                condition=Q(state__in=["pending", "failed", "sending"]),
            ),
            models.Index(fields=["ticket", "created_at"], name="delivery_ticket_time"),
        ]

    def __str__(self) -> str:
        target = self.subscription.url if self.subscription_id and self.subscription else ""
        return f"{self.channel} {self.subject or self.event} → {', '.join(self.to) or target}"

    @property
    def message_id(self) -> str:
        """A mail's Message-ID (without angle brackets): its key."""
        return self.key
