"""Macros: a reply in Chinese and English with placeholders, and the ticket changes that go with
it, applied together in one submit from the desk or the chat console.

A macro belongs to everyone (admin-wide), to a team, or to one agent (personal). Admins edit
every macro, team leads their teams' and their own, agents only their own (``actions``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import Agent, Team
from kefu.macros.placeholders import NAMES, unknown_names
from kefu.tickets.models import Category, Priority, Status

MAX_TAGS = 10


class Scope(models.TextChoices):
    GLOBAL = "global", _("Everyone (admin-wide)")
    TEAM = "team", _("Team")
    PERSONAL = "personal", _("Personal")


class Macro(models.Model):
    title_zh = models.CharField(_("title (Chinese)"), max_length=120)
    title_en = models.CharField(_("title (English)"), max_length=120)
    text_zh = models.TextField(_("reply (Chinese)"), blank=True, max_length=10000)
    text_en = models.TextField(_("reply (English)"), blank=True, max_length=10000)
    scope = models.CharField(_("shared with"), max_length=8, choices=Scope.choices)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="macros",
    )
    owner = models.ForeignKey(
        Agent,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="macros",
    )
    # What the macro does besides the reply; blank: leave as it is.
    set_status = models.CharField(
        _("set status"), max_length=16, choices=Status.choices, blank=True
    )
    set_priority = models.CharField(
        _("set priority"), max_length=8, choices=Priority.choices, blank=True
    )
    set_category = models.ForeignKey(
        Category,
        verbose_name=_("set category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    add_tags = models.JSONField(_("add tags"), default=list, blank=True)
    set_team = models.ForeignKey(
        Team,
        verbose_name=_("move to team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_assignee = models.ForeignKey(
        Agent,
        verbose_name=_("assign to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assign_to_me = models.BooleanField(_("assign to the agent using it"), default=False)
    note = models.TextField(
        _("internal note"),
        blank=True,
        max_length=10000,
        help_text=_("Added as an internal note; placeholders work here too."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    usage_count = models.PositiveIntegerField(_("times used"), default=0, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("macro")
        verbose_name_plural = _("macros")
        ordering = ["title_en"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope="global", team__isnull=True, owner__isnull=True)
                    | Q(scope="team", team__isnull=False, owner__isnull=True)
                    | Q(scope="personal", team__isnull=True, owner__isnull=False)
                ),
                name="macro_scope_matches_team_and_owner",
            )
        ]
        indexes = [models.Index(fields=["scope", "is_active"], name="macro_scope_active")]

    def __str__(self) -> str:
        return self.title_en or self.title_zh

    def title(self, lang: str) -> str:
        return (
            (self.title_zh or self.title_en) if lang == "zh" else (self.title_en or self.title_zh)
        )

    def text(self, lang: str) -> str:
        """The reply in ``lang`` (``zh``/``en``), or the other language's when it has none."""
        return (self.text_zh or self.text_en) if lang == "zh" else (self.text_en or self.text_zh)

    @property
    def has_actions(self) -> bool:
        return bool(
            self.set_status or self.set_priority or self.set_category_id or self.add_tags
            or self.set_team_id or self.set_assignee_id or self.assign_to_me or self.note
        )  # fmt: skip

    def clean(self) -> None:
        super().clean()
        errors: dict[str, ValidationError] = {}
        for field in ("text_zh", "text_en", "note"):
            unknown = unknown_names(getattr(self, field) or "")
            if unknown:
                errors[field] = ValidationError(
                    _("Unknown placeholder %(names)s. Known: %(known)s.")
                    % {
                        "names": ", ".join(f"{{{{{name}}}}}" for name in unknown),
                        "known": ", ".join(f"{{{{{name}}}}}" for name in NAMES),
                    }
                )
        if self.scope == Scope.TEAM and self.team_id is None:
            errors["team"] = ValidationError(_("Choose the team this macro is shared with."))
        if self.scope == Scope.PERSONAL and self.owner_id is None:
            errors["owner"] = ValidationError(_("Choose whose personal macro this is."))
        if not isinstance(self.add_tags, list) or len(self.add_tags) > MAX_TAGS:
            errors["add_tags"] = ValidationError(_("Add at most %(n)d tags.") % {"n": MAX_TAGS})
        if not (self.text_zh or self.text_en or self.has_actions):
            errors["text_zh"] = ValidationError(_("Write a reply or choose an action."))
        if errors:
            raise ValidationError(errors)
        if self.scope != Scope.TEAM:
            self.team = None
        if self.scope != Scope.PERSONAL:
            self.owner = None
