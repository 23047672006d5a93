"""Macros in the admin: every scope, with usage counts; the model's ``clean`` refuses unknown
placeholders and a scope without its team or owner, as the desk's editor does."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kefu.macros.models import Macro


@admin.register(Macro)
class MacroAdmin(admin.ModelAdmin):
    list_display = ["title_en", "title_zh", "scope", "team", "owner", "is_active", "usage_count",
                    "last_used_at"]  # fmt: skip
    list_filter = ["scope", "is_active", "team"]
    search_fields = ["title_en", "title_zh", "text_en", "text_zh"]
    readonly_fields = ["usage_count", "last_used_at", "created_at", "updated_at"]
    list_select_related = ["team", "owner"]
    fieldsets = [
        (None, {"fields": ["title_zh", "title_en", "text_zh", "text_en", "is_active"]}),
        (_("Shared with"), {"fields": ["scope", "team", "owner"]}),
        (
            _("When the reply is sent, also"),
            {
                "fields": [
                    "set_status",
                    "set_priority",
                    "set_category",
                    "add_tags",
                    "set_team",
                    "set_assignee",
                    "assign_to_me",
                    "note",
                ]
            },
        ),
        (_("Usage"), {"fields": ["usage_count", "last_used_at", "created_at", "updated_at"]}),
    ]
