"""Archive, retention and data-subject settings and records in the admin. Runs and erasures
are records: read-only."""

from __future__ import annotations

from django.contrib import admin

from kefu.admin import ReadOnlyAdmin
from kefu.archive.models import (
    ArchivedTicket,
    ArchivePolicy,
    ArchiveRun,
    Erasure,
    LegalHold,
    RetentionRule,
)


@admin.register(ArchivePolicy)
class ArchivePolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "archive_after_days", "enabled", "next_run_at"]


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "action", "after_days"]


@admin.register(LegalHold)
class LegalHoldAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organization", "ticket_number", "created_at", "released_at"]
    autocomplete_fields = ["organization"]


@admin.register(ArchiveRun)
class ArchiveRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "kind", "dry_run", "counts", "finished_at"]
    list_filter = ["kind", "dry_run"]


@admin.register(ArchivedTicket)
class ArchivedTicketAdmin(ReadOnlyAdmin):
    list_display = ["number", "subject", "status", "created_at", "closed_at", "archived_at"]
    search_fields = ["number", "subject"]
    exclude = ["snapshot"]


@admin.register(Erasure)
class ErasureAdmin(ReadOnlyAdmin):
    list_display = ["erased_at", "tombstone", "counts"]
