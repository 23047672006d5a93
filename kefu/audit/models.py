"""The audit log: one row per security- or compliance-relevant action, never changed afterwards.

Rows name the actor by user id and agent id, never by email or name: an erased person
(``kefu.archive``) must leave no address behind, and the log must stay append-only. The
database refuses UPDATE and DELETE on PostgreSQL (a trigger, migration 0002); the model, its
queryset, the admin and the API refuse them everywhere.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnly(Exception):
    """An attempt to change or delete an audit entry."""


class Kind(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    PERMISSION_CHANGED = "permission_changed", _("Permissions or scopes changed")
    ADMIN_EDIT = "admin_edit", _("Admin edit")
    EXPORT = "export", _("Export")
    ARCHIVE_RUN = "archive_run", _("Archiving run")
    RETENTION_RUN = "retention_run", _("Retention run")
    LEGAL_HOLD = "legal_hold", _("Legal hold changed")
    DATA_EXPORT = "data_export", _("Personal data exported")
    ERASURE = "erasure", _("Person erased")
    ACCOUNT_INVITED = "account_invited", _("Sub-account invited")
    ACCOUNT_DEACTIVATED = "account_deactivated", _("Sub-account deactivated")
    ACCOUNT_REACTIVATED = "account_reactivated", _("Sub-account reactivated")


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnly("audit entries are never changed")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AppendOnly("audit entries are never deleted")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("what"), max_length=24, choices=Kind.choices, db_index=True)
    # A plain id, not a foreign key: deleting or erasing a user must not touch the log.
    actor_id = models.BigIntegerField(_("user id"), null=True, blank=True)
    actor_label = models.CharField(_("who"), max_length=40, blank=True)
    target = models.CharField(_("on what"), max_length=200, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.actor_label} {self.target}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("audit entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("audit entries are never deleted")
