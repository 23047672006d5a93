"""Webhook subscriptions: a URL that receives signed JSON calls for the events it chose.

Owned by the person who made it: an administrator (every ticket) or a customer's main account
(their organisation's tickets, as they see them in the portal). Each call is an outbox row
(``delivery.Delivery``) retried with backoff; a subscription failing for a day is disabled and
its owner told.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.crypto import EncryptedTextField

EVENTS = (
    "ticket.created",
    "ticket.updated",
    "ticket.resolved",
    "ticket.closed",
    "ticket.reopened",
    "ticket.merged",
    "ticket.escalated",
    "ticket.rated",
    "message.created",
    "attachment.created",
    "sla.warning",
    "sla.breached",
)


class Subscription(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
    )
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    # The shared secret for X-Kefu-Signature, encrypted at rest: Kefu must read it to sign.
    secret = EncryptedTextField(_("secret"))
    is_active = models.BooleanField(_("active"), default=True)
    # Since when every call has failed (None while they succeed): a day of it disables it.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    disabled_reason = models.CharField(_("why disabled"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["is_active"], name="webhook_active")]

    def __str__(self) -> str:
        return self.url
