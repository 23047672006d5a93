"""The audit log in the admin: read-only (no add, change or delete; the bulk delete is hidden)."""

from __future__ import annotations

from django.contrib import admin

from kefu.admin import ReadOnlyAdmin
from kefu.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "actor_label", "target", "address"]
    list_filter = ["kind"]
    search_fields = ["actor_label", "target"]
    date_hierarchy = "at"
    actions = None
