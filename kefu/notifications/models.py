"""Notifications: something a person should know, shown in their notification centre with an
unread count (and mailed when their preference says so), and each person's preferences.

A notification stores its ``kind`` and raw parameters; the sentence is made when someone reads
it (``notifications.texts``), so each reader gets their own language and time zone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.tickets.models import Ticket


class Kind(models.TextChoices):
    # For staff.
    SLA_WARNING = "sla_warning", _("SLA warning")
    SLA_BREACH = "sla_breach", _("SLA breach")
    URGENT = "urgent", _("Urgent ticket")
    EMERGENCY = "emergency", _("Emergency ticket")
    PAGE = "page", _("On-duty page")
    ESCALATED = "escalated", _("Escalated to you")
    SURGE = "surge", _("Surge incident")
    NUDGE = "nudge", _("Customer nudge")
    COMPLAINT = "complaint", _("Formal complaint")
    QA_REVIEW = "qa_review", _("QA review")
    QA_OVERDUE = "qa_overdue", _("QA review overdue")
    QA_RESULT = "qa_result", _("QA review result")
    QA_APPEAL = "qa_appeal", _("QA review appealed")
    ASSIGNED = "assigned", _("Assigned to you")
    CUSTOMER_REPLY = "customer_reply", _("The customer wrote")
    UNSATISFIED = "unsatisfied", _("Unsatisfied rating")
    # For customers.
    AGENT_REPLY = "agent_reply", _("Support replied")
    PENDING = "pending", _("Support needs your answer")
    RESOLVED = "resolved", _("Ticket resolved")
    REOPENED = "reopened", _("Ticket reopened")
    MERGED = "merged", _("Ticket merged")
    CLOSE_SOON = "close_soon", _("Ticket closes soon")
    AUTO_CLOSED = "auto_closed", _("Ticket closed without an answer")
    CLOSED = "closed", _("Ticket closed")
    # For whoever owns a webhook.
    WEBHOOK_DISABLED = "webhook_off", _("Webhook disabled")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # led by the indexes below
    )
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notify_inbox"),
            models.Index(
                fields=["recipient"], name="notify_unread", condition=Q(read_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind}"


class Preference(models.Model):
    """One person's choice for one kind; without a row the default applies
    (``notifications.preferences.DEFAULTS``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    in_app = models.BooleanField(_("in the notification centre"), default=True)
    email = models.BooleanField(_("by email"), default=False)
    # A desktop notification from an open Kefu page, when the browser allows it (off by default).
    browser = models.BooleanField(_("as a browser notification"), default=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"
