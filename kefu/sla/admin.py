from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kefu.sla.calendars import BilingualText
from kefu.sla.models import BusinessCalendar, CalendarDate, SlaClock, SlaPolicy
from kefu.sla.specs import calendar_warnings


def _text(warning: BilingualText) -> str:
    return warning.zh if (get_language() or "").startswith("zh") else warning.en


class CalendarDateInline(admin.TabularInline):
    model = CalendarDate
    extra = 1
    fields = ["day", "kind", "hours", "note"]


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_zh", "zone", "holiday_source", "coverage"]
    search_fields = ["code", "name_en", "name_zh"]
    inlines = [CalendarDateInline]
    fieldsets = [
        (None, {"fields": ["code", "name_en", "name_zh", "zone", "holiday_source"]}),
        (
            _("Weekly hours"),
            {
                "fields": [
                    "monday",
                    "tuesday",
                    "wednesday",
                    "thursday",
                    "friday",
                    "saturday",
                    "sunday",
                    "off_day_hours",
                ]
            },
        ),
        (_("Holiday arrangements entered by hand"), {"fields": ["arranged_years"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[BusinessCalendar]:
        return super().get_queryset(request).prefetch_related("dates")

    @admin.display(description=_("holiday coverage"))
    def coverage(self, calendar: BusinessCalendar) -> str:
        warnings = calendar_warnings(calendar, around=timezone.now())
        return " ".join(_text(w) for w in warnings) or "✓"

    def _show_warnings(self, request: HttpRequest, calendars: QuerySet[BusinessCalendar]) -> None:
        for calendar in calendars.prefetch_related("dates"):
            for warning in calendar_warnings(calendar, around=timezone.now()):
                messages.warning(request, _text(warning))

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.method == "GET":
            self._show_warnings(request, BusinessCalendar.objects.all())
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if request.method == "GET":
            self._show_warnings(request, BusinessCalendar.objects.filter(pk=object_id))
        return super().change_view(request, object_id, form_url, extra_context)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        _rebuild_later(request)


def _rebuild_later(request: HttpRequest) -> None:
    """Open tickets' clocks follow the new calendars or targets, rebuilt by the worker."""
    from kefu.sla.tasks import rebuild_open_clocks

    transaction.on_commit(rebuild_open_clocks.enqueue)
    messages.info(request, _("Open tickets' SLA clocks will be recomputed in the background."))


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "channel", "priority", "category", "org_tier",
                    "complexity", "emergency", "complaint", "first_response", "next_response",
                    "periodic_update", "resolution", "calendar", "order", "is_active"]  # fmt: skip
    list_filter = ["is_active", "channel", "priority", "complexity", "calendar"]
    search_fields = ["code", "name_en", "name_zh"]
    filter_horizontal = ["extra_calendars"]
    fieldsets = [
        (None, {"fields": ["code", "name_en", "name_zh", "is_active", "order"]}),
        (
            _("Applies to"),
            {
                "fields": [
                    "channel",
                    "priority",
                    "category",
                    "org_tier",
                    "complexity",
                    "tag",
                    "emergency",
                    "complaint",
                ]
            },
        ),
        (
            _("Targets (e.g. 3m, 24h, 1d)"),
            {
                "fields": [
                    "first_response",
                    "next_response",
                    "periodic_update",
                    "resolution",
                    "warn_share",
                ]
            },
        ),
        (_("Time"), {"fields": ["calendar", "extra_calendars", "pause_statuses"]}),
    ]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        _rebuild_later(request)


@admin.register(SlaClock)
class SlaClockAdmin(admin.ModelAdmin):
    list_display = ["ticket", "metric", "state", "target", "calendars", "due_at", "breached_at"]
    list_filter = ["state", "metric"]
    search_fields = ["ticket__number"]
    list_select_related = ["ticket"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # clocks follow the ticket's history; they are never edited by hand
