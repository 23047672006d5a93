"""Ratings and resolution windows in the admin: read-only, they are what customers said and
what the timers did."""

from __future__ import annotations

from django.contrib import admin

from kefu.admin import ReadOnlyAdmin
from kefu.ratings.models import Rating, Resolution


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "ticket", "score", "via", "rated_by", "changed_at"]
    list_filter = ["score", "via"]
    search_fields = ["ticket__number", "comment"]
    list_select_related = ["ticket", "rated_by"]


@admin.register(Resolution)
class ResolutionAdmin(ReadOnlyAdmin):
    list_display = ["resolved_at", "ticket", "state", "remind_at", "reminded_at", "close_at"]
    list_filter = ["state"]
    search_fields = ["ticket__number"]
    list_select_related = ["ticket"]
