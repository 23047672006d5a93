from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kefu.accounts.access import viewer_for
from kefu.admin import ReadOnlyAdmin
from kefu.escalation.actions import complete_qa_review
from kefu.escalation.models import (
    EscalationLevel,
    EscalationPath,
    Nudge,
    QaReview,
    SurgeIncident,
)


class LevelInline(admin.TabularInline):
    model = EscalationLevel
    extra = 0
    fields = ["level", "trigger", "metric", "notify_assignee", "notify_team_lead",
              "notify_path_lead", "send_email", "reassign", "raise_priority"]  # fmt: skip


@admin.register(EscalationPath)
class EscalationPathAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_zh", "category", "team", "surge_threshold",
                    "surge_window_minutes", "is_active"]  # fmt: skip
    list_filter = ["is_active"]
    search_fields = ["code", "name_en", "name_zh"]
    inlines = [LevelInline]


@admin.register(Nudge)
class NudgeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "ticket", "user"]
    search_fields = ["ticket__number"]
    list_select_related = ["ticket", "user"]


@admin.register(SurgeIncident)
class SurgeIncidentAdmin(ReadOnlyAdmin):
    list_display = ["opened_at", "path", "ticket", "linked_count", "last_linked_at"]
    list_select_related = ["path", "ticket"]


@admin.register(QaReview)
class QaReviewAdmin(admin.ModelAdmin):
    list_display = ["ticket", "agent", "source", "state", "due_at", "overdue_at", "reviewer"]
    list_filter = ["state", "source"]
    search_fields = ["ticket__number", "agent__code"]
    list_select_related = ["ticket", "agent", "reviewer"]
    readonly_fields = ["ticket", "agent", "source", "reason", "state", "due_at", "overdue_at",
                       "reviewer", "created_at", "completed_at"]  # fmt: skip
    actions = ["mark_done"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Mark the selected reviews done"))
    def mark_done(self, request: HttpRequest, queryset: QuerySet[QaReview]) -> None:
        actor = viewer_for(request.user)
        done = 0
        for review in queryset.filter(state=QaReview.State.OPEN).select_related("ticket"):
            complete_qa_review(review=review, actor=actor, outcome=review.outcome)
            done += 1
        messages.success(
            request,
            ngettext("%(n)s review marked done.", "%(n)s reviews marked done.", done) % {"n": done},
        )
