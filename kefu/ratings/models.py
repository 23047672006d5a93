"""What follows a resolution: its confirmation window (confirm-to-close, the reminder and the
auto-close, as due-at columns), and the customer's ratings of tickets and chats alike.

A ``Resolution`` is one instant a ticket was resolved; a reopened and re-resolved ticket has a
new one, and may be rated again. A ``Rating`` belongs to one resolution, or to one chat (a chat is
rated when it ends, whatever its ticket's state).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.tickets.models import Ticket


class Score(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    NEUTRAL = "neutral", _("Neutral")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class Resolution(models.Model):
    """The window after a resolution, until the customer confirms, a reply reopens the ticket,
    or it closes by itself at ``close_at`` (reminded at ``remind_at``)."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting for the customer")
        CONFIRMED = "confirmed", _("Confirmed by the customer")
        AUTO_CLOSED = "auto_closed", _("Closed without an answer")
        CLOSED = "closed", _("Closed by support")
        REOPENED = "reopened", _("Reopened")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="resolutions")
    resolved_at = models.DateTimeField(_("resolved"))
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.WAITING
    )
    remind_at = models.DateTimeField(_("reminder due"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    close_at = models.DateTimeField(_("closes by itself"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "resolved_at"], name="resolution_once")
        ]
        indexes = [
            models.Index(
                fields=["close_at"], name="resolution_close_due", condition=Q(state="waiting")
            ),
            models.Index(
                fields=["remind_at"],
                name="resolution_remind_due",
                condition=Q(state="waiting", reminded_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.resolved_at:%Y-%m-%d %H:%M} {self.state}"


class Rating(models.Model):
    """满意 / 一般 / 不满意 with an optional comment; the customer may change it for 7 days."""

    class Via(models.TextChoices):
        PORTAL = "portal", _("Portal")
        LINK = "link", _("Link in the mail")
        API = "api", _("API")
        CHAT = "chat", _("End of a chat")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="ratings")
    resolution = models.OneToOneField(
        Resolution, null=True, blank=True, on_delete=models.CASCADE, related_name="rating"
    )
    chat = models.OneToOneField(
        "intake.ChatSession",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="ticket_rating",
    )
    score = models.CharField(_("rating"), max_length=12, choices=Score.choices)
    comment = models.TextField(_("comment"), blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    via = models.CharField(_("given through"), max_length=8, choices=Via.choices)
    created_at = models.DateTimeField(_("rated"), default=timezone.now)
    changed_at = models.DateTimeField(_("changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolution__isnull=False) | Q(chat__isnull=False),
                name="rating_of_resolution_or_chat",
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.score}"
