"""The admin of people and organisations, with the unlock of a locked-out sign-in."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kefu.accounts.actions import unlock_sign_in
from kefu.accounts.models import Account, Agent, ApiToken, Organization, Team, User
from kefu.search.actions import reindex_organization, reindex_requester


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "language", "is_active", "is_staff"]
    search_fields = ["email", "name", "phone"]
    list_filter = ["is_active", "is_staff", "language"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["name", "phone", "language", "time_zone"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    actions = ["unlock"]

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and {"name", "email"} & set(form.changed_data):  # both are in the index
            reindex_requester(user=obj)

    @admin.action(description=_("Unlock sign-in (clear failed attempts)"))
    def unlock(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            unlock_sign_in(email=user.email)
        count = len(queryset)
        message = ngettext(
            "Sign-in unlocked for %(count)d user.", "Sign-in unlocked for %(count)d users.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


class AccountInline(admin.TabularInline):
    model = Account
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "tier", "expedite", "account_manager"]
    list_filter = ["kind", "tier", "expedite"]
    search_fields = ["name", "code", "phone"]
    inlines = [AccountInline]

    def save_model(self, request: HttpRequest, obj: Organization, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and {"name", "code"} & set(form.changed_data):  # both are in the tickets' index
            reindex_organization(organization=obj)


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "is_main", "scopes"]
    list_filter = ["is_main"]
    search_fields = ["user__email", "organization__name"]
    autocomplete_fields = ["user", "organization"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_zh", "lead"]
    search_fields = ["code", "name_en", "name_zh"]


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ["code", "user", "role", "status", "shift_calendar"]
    list_filter = ["role", "status", "teams"]
    search_fields = ["code", "user__email", "user__name"]
    filter_horizontal = ["teams"]
    autocomplete_fields = ["user"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "purpose", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "digest", "created_at", "last_used_at"]
    list_filter = ["purpose"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # tokens are created with `kefu token create`, which shows them once
