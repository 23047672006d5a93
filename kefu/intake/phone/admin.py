"""Admin pages for hotlines: lines (the signing secret write-only), IVR menus with their options
inline, calls (read-only, what the platform told us) and callback tasks."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kefu.intake.phone.models import Call, CallbackTask, IvrMenu, IvrOption, PhoneLine


class PhoneLineForm(forms.ModelForm):
    signing_secret = forms.CharField(
        label=_("signing secret"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Never shown. Leave empty to keep the current secret."),
    )

    class Meta:
        model = PhoneLine
        fields = ["code", "kind", "name", "number", "language", "calendar", "menu",
                  "signing_secret", "telnyx_public_key", "callback_within",
                  "is_active"]  # fmt: skip

    def clean_signing_secret(self) -> str:
        entered = self.cleaned_data["signing_secret"]
        return entered or (self.instance.signing_secret if self.instance.pk else "")


@admin.register(PhoneLine)
class PhoneLineAdmin(admin.ModelAdmin):
    form = PhoneLineForm
    list_display = ["code", "name", "kind", "number", "language", "calendar", "menu", "is_active"]


class IvrOptionInline(admin.TabularInline):
    model = IvrOption
    fk_name = "menu"
    extra = 1
    fields = ["key", "label_zh", "label_en", "action", "submenu", "article_slug", "category",
              "skill"]  # fmt: skip


@admin.register(IvrMenu)
class IvrMenuAdmin(admin.ModelAdmin):
    list_display = ["code", "prompt_zh", "prompt_en"]
    inlines = [IvrOptionInline]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["call_sid", "line", "from_number", "state", "verification", "ticket", "agent",
                    "started_at", "answered_at", "duration_seconds"]  # fmt: skip
    list_filter = ["line", "state", "verification"]
    search_fields = ["call_sid", "from_number", "ticket__number", "order_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CallbackTask)
class CallbackTaskAdmin(admin.ModelAdmin):
    list_display = ["number", "reason", "line", "ticket", "due_at", "done_at", "done_by"]
    list_filter = ["reason", "line"]
    readonly_fields = ["line", "call", "ticket", "number", "reason", "created_at", "due_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
