"""Triage data the admin edits (rules, required evidence) and what agents teach the model."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import BilingualName
from kefu.triage.rules import STAGES


class TriageRule(models.Model):
    """One rule of ``triage.rules`` as a row; validated with ``rules.load_rules`` on save."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120, blank=True)
    stage = models.CharField(
        _("stage"), max_length=8, choices=[(s, s) for s in STAGES], default="before"
    )
    order = models.IntegerField(_("order"), default=100)
    enabled = models.BooleanField(_("enabled"), default=True)
    stop = models.BooleanField(_("stop the stage when it fires"), default=False)
    conditions = models.JSONField(_("conditions"), default=dict)
    effects = models.JSONField(_("effects"), default=dict)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("triage rule")
        verbose_name_plural = _("triage rules")
        ordering = ["stage", "order", "code"]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.updated_at = timezone.now()  # the rule cache compares it (``triage.store``)
        super().save(*args, **kwargs)

    def as_data(self) -> dict[str, Any]:
        """The rule as ``rules.Rule.from_dict`` reads it."""
        return {
            "code": self.code,
            "name_en": self.name_en,
            "name_zh": self.name_zh,
            "stage": self.stage,
            "order": self.order,
            "enabled": self.enabled,
            "stop": self.stop,
            "conditions": self.conditions,
            "effects": self.effects,
        }


class EvidenceRequirement(BilingualName):
    """What a kind of ticket must carry before work can start (the charter: order number,
    screenshot, error code…). It applies to tickets of ``categories`` (any when empty) that have
    one of ``tags_any`` or mention one of ``keywords_any`` (no cue stated: every such ticket)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    categories = models.JSONField(_("categories"), default=list, blank=True)
    tags_any = models.JSONField(_("any of these tags"), default=list, blank=True)
    keywords_any = models.JSONField(_("or any of these keywords"), default=list, blank=True)
    items = models.JSONField(_("required items"), default=list)
    enabled = models.BooleanField(_("enabled"), default=True)
    order = models.IntegerField(_("order"), default=100)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("required evidence")
        verbose_name_plural = _("required evidence")
        ordering = ["order", "code"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.updated_at = timezone.now()  # the cache compares it (``triage.store``)
        super().save(*args, **kwargs)


class Recategorisation(models.Model):
    """An agent moved a ticket to another category: a labelled example for retraining."""

    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("text"))
    old_category = models.CharField(_("old category"), max_length=40, blank=True)
    new_category = models.CharField(_("new category"), max_length=40)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("recategorisation")
        verbose_name_plural = _("recategorisations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.old_category or '—'} → {self.new_category}"


class ScoreRefresh(models.Model):
    """When an open ticket's time-based score terms next change (swept by
    ``triage.score_refresh``)."""

    ticket = models.OneToOneField(
        "tickets.Ticket", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    due_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.ticket_id} @ {self.due_at:%Y-%m-%d %H:%M}"


class CategorySkills(models.Model):
    """The skills a category's tickets need: an agent qualifies with any one of them (agents
    who list no skills take everything their team receives)."""

    category = models.OneToOneField(
        "tickets.Category", verbose_name=_("category"), on_delete=models.CASCADE, related_name="+"
    )
    skills = models.JSONField(_("any of these skills"), default=list, blank=True)

    class Meta:
        verbose_name = _("category skills")
        verbose_name_plural = _("category skills")

    def __str__(self) -> str:
        return f"{self.category_id}: {', '.join(self.skills)}"
