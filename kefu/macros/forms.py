"""The desk's macro editor. Scope choices are limited to what the editor may share with;
``actions.save_macro`` checks the same rules again."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kefu.accounts.access import Viewer
from kefu.accounts.models import Agent, Team
from kefu.macros.models import MAX_TAGS, Macro, Scope
from kefu.macros.placeholders import NAMES
from kefu.macros.queries import lead_team_ids
from kefu.tickets.models import Category, Priority, Status

LEAVE = _("leave as it is")
TAG = re.compile(r"^[\w\-.:/]{1,64}$")


class MacroForm(forms.ModelForm):
    add_tags = forms.CharField(
        label=_("Add tags"),
        required=False,
        max_length=700,
        help_text=_("Separated by commas or spaces."),
    )

    class Meta:
        model = Macro
        fields = [
            "title_zh", "title_en", "text_zh", "text_en", "scope", "team",
            "set_status", "set_priority", "set_category", "add_tags", "set_team",
            "set_assignee", "assign_to_me", "note", "is_active",
        ]  # fmt: skip
        widgets = {
            "text_zh": forms.Textarea(attrs={"rows": 5}),
            "text_en": forms.Textarea(attrs={"rows": 5}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, viewer: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        agent = viewer.agent
        if viewer.is_admin:
            scopes = list(Scope.choices)
            teams = Team.objects.all()
        elif agent is not None and agent.role == Agent.Role.LEAD:
            scopes = [(Scope.PERSONAL, Scope.PERSONAL.label), (Scope.TEAM, Scope.TEAM.label)]
            teams = Team.objects.filter(pk__in=lead_team_ids(viewer))
        else:
            scopes = [(Scope.PERSONAL, Scope.PERSONAL.label)]
            teams = Team.objects.none()
        scope = self.fields["scope"]
        assert isinstance(scope, forms.ChoiceField)
        scope.choices = scopes
        scope.initial = scopes[0][0] if len(scopes) == 1 else Scope.PERSONAL
        if teams.exists():
            self._limit("team", teams, empty=_("— choose a team —"))
            self.fields["team"].help_text = _("Only for macros shared with a team.")
        else:  # an agent shares with nobody: no team to choose
            del self.fields["team"]
        self._limit("set_category", Category.objects.filter(is_active=True))
        self._limit("set_team", Team.objects.all())
        self._limit("set_assignee", Agent.objects.exclude(role=Agent.Role.QA))
        for name, values in (("set_status", Status.choices), ("set_priority", Priority.choices)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", LEAVE), *values]
        known = ", ".join(f"{{{{{name}}}}}" for name in NAMES)
        self.fields["text_zh"].help_text = _("Placeholders: %(names)s") % {"names": known}
        tags = self.instance.add_tags
        self.initial["add_tags"] = ", ".join(tags) if isinstance(tags, list) else ""

    def _limit(self, name: str, queryset: QuerySet[Any], empty: Any = None) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset
        field.empty_label = empty or LEAVE

    def clean_add_tags(self) -> list[str]:
        raw = self.cleaned_data.get("add_tags") or ""
        tags = [t for t in re.split(r"[,\s，、]+", raw) if t]
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(_("Add at most %(n)d tags.") % {"n": MAX_TAGS})
        for tag in tags:
            if not TAG.match(tag):
                raise forms.ValidationError(
                    _("“%(tag)s” is not a tag: letters, digits and - _ . : / only, up to 64.")
                    % {"tag": tag[:70]}
                )
        return sorted(set(tags))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scope = data.get("scope")
        if scope == Scope.PERSONAL and self.instance.owner_id is None:
            self.instance.owner = self.viewer.agent
        return data
