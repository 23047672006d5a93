"""The store contact directory (关联负责人): for each store or shop of a customer organisation,
the people responsible for it, by role, and how to reach them.

Rows belong to one organisation; every read goes through ``contacts.queries``, scoped by it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import Organization


class Role(models.TextChoices):
    OPERATIONS = "operations", _("Operations")
    FINANCE = "finance", _("Finance")
    LOGISTICS = "logistics", _("Logistics")
    TECHNICAL = "technical", _("Technical")
    OTHER = "other", _("Other")


class StoreContact(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="store_contacts",
    )
    store = models.CharField(_("store"), max_length=120)
    name = models.CharField(_("contact name"), max_length=120)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.OPERATIONS)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    wechat = models.CharField(_("WeChat id"), max_length=20, blank=True)
    qq = models.CharField(_("QQ number"), max_length=11, blank=True)
    notes = models.TextField(_("notes"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("store contact")
        verbose_name_plural = _("store contacts")
        ordering = ["store", "role", "name", "id"]
        indexes = [models.Index(fields=["organization", "store"], name="store_contact_org")]

    def __str__(self) -> str:
        return f"{self.store} · {self.name}"
