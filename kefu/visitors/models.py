"""A contact-form submission waiting for its sender to prove the email address.

The message itself (fields and files, encrypted) is kept in the raw store; it becomes a ticket,
through the intake pipeline, only when the link mailed to the address is followed. Until then it
is in no queue, notifies nobody and starts no SLA clock; after ``expires_at`` the sweeper
marks it expired and drops the kept copy.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactRequest(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for email verification")
        VERIFIED = "verified", _("Verified")
        EXPIRED = "expired", _("Expired")

    email = models.EmailField(_("email"), max_length=254)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    raw_path = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"))
    # Due-at column of the expiry sweep (pending rows only).
    expires_at = models.DateTimeField(_("expires"))
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")
        indexes = [models.Index(fields=["state", "expires_at"], name="contact_state_expires")]

    def __str__(self) -> str:
        return f"{self.email} ({self.state})"
