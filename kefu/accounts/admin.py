from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import Account, Agent, ApiToken, Organization, Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "language", "is_active", "is_staff"]
    search_fields = ["email", "name", "phone"]
    list_filter = ["is_active", "is_staff", "language"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["name", "phone", "language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


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
