"""Report switches in the admin: the public service-health page, weekly summaries."""

from __future__ import annotations

from django.contrib import admin

from kefu.reports.models import ReportSettings


@admin.register(ReportSettings)
class ReportSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "service_health_public", "weekly_summary", "next_weekly_at"]
