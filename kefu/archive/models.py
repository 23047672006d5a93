"""Archived tickets (out of the hot tables), the archiving policy and its runs, retention rules
per data kind, legal holds, and the tombstones of erased people.

An archived ticket is one row of ``ArchivedTicket``: the ticket with its conversation, events,
file list and QA reviews as a snapshot, read-only by construction; its live rows are deleted,
so the queues, lists and indexes of the live tables no longer carry it. Plain ids, not foreign
keys: the archive must not hold back changes of the live tables.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ArchivedTicket(models.Model):
    number = models.CharField(_("number"), max_length=24, unique=True)
    ticket_id = models.BigIntegerField(_("former id"), unique=True)
    organization_id = models.BigIntegerField(null=True, db_index=True)
    requester_id = models.BigIntegerField(null=True, db_index=True)
    team_id = models.BigIntegerField(null=True)
    assignee_id = models.BigIntegerField(null=True)
    subject = models.CharField(_("subject"), max_length=255)
    status = models.CharField(_("status"), max_length=20)
    channel = models.CharField(_("channel"), max_length=8)
    created_at = models.DateTimeField(_("created"))
    closed_at = models.DateTimeField(_("closed"), null=True)
    archived_at = models.DateTimeField(_("archived"), default=timezone.now)
    snapshot = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("archived ticket")
        verbose_name_plural = _("archived tickets")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"


class ArchivePolicy(models.Model):
    """When closed tickets are archived (one row). Off until an administrator has read a dry
    run and switches it on; the worker makes the dry runs daily meanwhile."""

    archive_after_days = models.PositiveIntegerField(_("archive tickets closed for (days)"),
                                                     default=730)  # fmt: skip
    enabled = models.BooleanField(
        _("archive for real"),
        default=False,
        help_text=_("Off: the worker only makes daily dry runs. Read one before switching on."),
    )
    next_run_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("archiving policy")
        verbose_name_plural = _("archiving policy")

    def __str__(self) -> str:
        return str(_("archiving policy"))


class ArchiveRun(models.Model):
    class Kind(models.TextChoices):
        ARCHIVE = "archive", _("Archiving")
        RETENTION = "retention", _("Retention")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    dry_run = models.BooleanField(_("dry run"), default=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    sample = models.JSONField(_("examples"), default=list, blank=True)
    actor_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("archiving or retention run")
        verbose_name_plural = _("archiving and retention runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.kind} {'dry' if self.dry_run else 'real'} {self.started_at:%Y-%m-%d %H:%M}"


class DataKind(models.TextChoices):
    ATTACHMENTS = "attachments", _("Attachments")
    RAW_MAIL = "raw_mail", _("Raw inbound mail")
    CHAT_TRANSCRIPTS = "chat_transcripts", _("Chat transcripts")
    CALL_RECORDINGS = "call_recordings", _("Call recording links")


class RetentionRule(models.Model):
    class Action(models.TextChoices):
        KEEP = "keep", _("Keep")
        PURGE = "purge", _("Purge")
        ANONYMISE = "anonymise", _("Anonymise")

    kind = models.CharField(_("data kind"), max_length=20, choices=DataKind.choices, unique=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices,
                              default=Action.KEEP)  # fmt: skip
    after_days = models.PositiveIntegerField(_("after (days)"), default=730)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.action} after {self.after_days} d"


class LegalHold(models.Model):
    """Stops archiving and retention for an organisation or one ticket until released."""

    organization = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.CASCADE,
    )  # fmt: skip
    ticket_number = models.CharField(_("ticket number"), max_length=24, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(_("placed"), default=timezone.now)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")

    def __str__(self) -> str:
        return f"{self.organization or self.ticket_number}: {self.reason}"


class Erasure(models.Model):
    """The tombstone of an erased person: who they are now (``tombstone``), never who they
    were."""

    user_id = models.BigIntegerField(_("user id"))
    tombstone = models.CharField(_("tombstone"), max_length=60)
    erased_at = models.DateTimeField(_("erased"), default=timezone.now)
    actor_id = models.BigIntegerField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return self.tombstone
