"""Admin for triage data: rules, required evidence, category skills, and the recategorisations
agents made (read-only: they are training data)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kefu.triage.actions import RequirementError, validate_requirement, validate_rule
from kefu.triage.models import CategorySkills, EvidenceRequirement, Recategorisation, TriageRule
from kefu.triage.rules import RuleError


def _language() -> str:
    return "zh" if (get_language() or "").startswith("zh") else "en"


def _form_field(error_field: str, fields: Any) -> str | None:
    """The form field an error path names: ``conditions.keywords_any[0]`` → ``conditions``."""
    name = error_field.split(".")[0].split("[")[0]
    return name if name in fields else None


class TriageRuleForm(forms.ModelForm):
    class Meta:
        model = TriageRule
        fields = ["code", "name_en", "name_zh", "stage", "order", "enabled", "stop",
                  "conditions", "effects"]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        rule = TriageRule(**{name: data.get(name) for name in self.Meta.fields})
        try:
            validate_rule(rule.as_data())
        except RuleError as error:
            self.add_error(_form_field(error.field, self.fields), error.message(_language()))
        return data


@admin.register(TriageRule)
class TriageRuleAdmin(admin.ModelAdmin):
    form = TriageRuleForm
    list_display = ["code", "name_en", "name_zh", "stage", "order", "enabled", "updated_at"]
    list_filter = ["stage", "enabled"]
    search_fields = ["code", "name_en", "name_zh"]
    actions = ["enable", "disable"]

    @admin.action(description=_("Enable the selected rules"))
    def enable(self, request: HttpRequest, queryset: Any) -> None:
        for rule in queryset:
            rule.enabled = True
            rule.save()  # saves one by one: the rule cache notices each change

    @admin.action(description=_("Disable the selected rules"))
    def disable(self, request: HttpRequest, queryset: Any) -> None:
        for rule in queryset:
            rule.enabled = False
            rule.save()


class EvidenceRequirementForm(forms.ModelForm):
    class Meta:
        model = EvidenceRequirement
        fields = ["code", "name_en", "name_zh", "categories", "tags_any", "keywords_any",
                  "items", "enabled", "order"]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            validate_requirement(
                items=data.get("items"),
                categories=data.get("categories") or [],
                tags_any=data.get("tags_any") or [],
                keywords_any=data.get("keywords_any") or [],
            )
        except RequirementError as error:
            self.add_error(_form_field(error.field, self.fields), error.message(_language()))
        return data


@admin.register(EvidenceRequirement)
class EvidenceRequirementAdmin(admin.ModelAdmin):
    form = EvidenceRequirementForm
    list_display = ["code", "name_en", "name_zh", "categories", "items", "enabled", "order"]
    list_filter = ["enabled"]


@admin.register(CategorySkills)
class CategorySkillsAdmin(admin.ModelAdmin):
    list_display = ["category", "skills"]


@admin.register(Recategorisation)
class RecategorisationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "ticket", "old_category", "new_category", "agent"]
    list_filter = ["new_category"]
    readonly_fields = ["ticket", "text", "old_category", "new_category", "agent", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
