"""Offline service bookings (线下服务预约): a customer asks to visit the centre (bulk purchasing
talks, complex disputes, training) at a slot; the centre confirms or declines within 2 working
days. Each booking belongs to the ticket its request opened, and is seen through that ticket.

``confirm_due_at`` and ``warn_at`` are the due-at columns the worker sweeps
(``appointments.sweep``); ``warned_at`` and ``breached_at`` record that it told staff, once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.tickets.models import Ticket


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
    DONE = "done", _("Done")


class Booking(models.Model):
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="bookings"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    slot = models.DateTimeField(_("requested time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    topic = models.CharField(_("topic"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.REQUESTED
    )
    # Why it was declined: an agent's words, or the rule a mailed request broke.
    reason = models.TextField(_("reason"), blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    confirm_due_at = models.DateTimeField(_("confirm by"))
    warn_at = models.DateTimeField(_("warn at"))
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("offline appointment")
        verbose_name_plural = _("offline appointments")
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(
                fields=["warn_at"],
                name="booking_warn_due",
                condition=Q(status="requested", warned_at__isnull=True),
            ),
            models.Index(
                fields=["confirm_due_at"],
                name="booking_confirm_due",
                condition=Q(status="requested", breached_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.topic}"

    @property
    def overdue(self) -> bool:
        return self.status == BookingStatus.REQUESTED and self.confirm_due_at <= timezone.now()
