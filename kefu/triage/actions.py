"""The only code that writes the triage app's rows: rules, evidence requirements, and the
recategorisations agents make (the training signal)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from kefu.accounts.models import Team
from kefu.tickets.models import Category, Ticket, TicketEvent
from kefu.triage.evidence import ITEMS, check_items
from kefu.triage.models import EvidenceRequirement, Recategorisation, TriageRule
from kefu.triage.rules import Rule, RuleError

TRAINING_TEXT_CHARS = 4000


def validate_rule(data: Mapping[str, Any]) -> Rule:
    """The rule, or RuleError naming the field: its shape (``rules``) and the categories and
    teams it names (they must exist, or the rule could never do what it says)."""
    rule = Rule.from_dict(data)
    known_categories = set(Category.objects.values_list("code", flat=True))
    named = [("effects.category", rule.effects.category)] + [
        (f"conditions.categories[{i}]", code) for i, code in enumerate(rule.conditions.categories)
    ]
    for where, code in named:
        if code is not None and code not in known_categories:
            raise RuleError(rule.code, where, f"no category {code!r}", f"类别 {code!r} 不存在")
    team = rule.effects.team
    if team is not None and not Team.objects.filter(code=team).exists():
        raise RuleError(rule.code, "effects.team", f"no team {team!r}", f"团队 {team!r} 不存在")
    return rule


@transaction.atomic
def save_rule(data: Mapping[str, Any]) -> TriageRule:
    """Create or replace the rule with ``data["code"]`` after validating it."""
    rule = validate_rule(data)
    row, _ = TriageRule.objects.update_or_create(
        code=rule.code,
        defaults={
            "name_en": rule.name_en,
            "name_zh": rule.name_zh,
            "stage": rule.stage,
            "order": rule.order,
            "enabled": rule.enabled,
            "stop": rule.stop,
            "conditions": data.get("conditions") or {},
            "effects": data.get("effects") or {},
        },
    )
    return row


class RequirementError(ValueError):
    """A required-evidence row that cannot be used, in zh and en (like ``RuleError``)."""

    def __init__(self, field_name: str, reason_en: str, reason_zh: str) -> None:
        self.field = field_name
        self.reason_en = reason_en
        self.reason_zh = reason_zh
        super().__init__(f"{field_name}: {reason_en}")

    def message(self, language: str) -> str:
        return f"字段 {self.field}：{self.reason_zh}" if language == "zh" else str(self)


def validate_requirement(*, items: Any, categories: Any, tags_any: Any, keywords_any: Any) -> None:
    for name, value in (
        ("items", items),
        ("categories", categories),
        ("tags_any", tags_any),
        ("keywords_any", keywords_any),
    ):
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise RequirementError(name, "must be a list of texts", "必须是文本列表")
    if not items:
        raise RequirementError("items", "name at least one item", "至少需要一项材料")
    unknown = check_items(items)
    if unknown:
        known = ", ".join(ITEMS)
        raise RequirementError(
            "items",
            f"unknown item {unknown[0]!r} (known: {known})",
            f"未知材料 {unknown[0]!r}（可用：{known}）",
        )
    missing = set(categories) - set(Category.objects.values_list("code", flat=True))
    if missing:
        code = sorted(missing)[0]
        raise RequirementError("categories", f"no category {code!r}", f"类别 {code!r} 不存在")


def save_requirement(**fields: Any) -> EvidenceRequirement:
    validate_requirement(
        items=fields.get("items", []),
        categories=fields.get("categories", []),
        tags_any=fields.get("tags_any", []),
        keywords_any=fields.get("keywords_any", []),
    )
    row, _ = EvidenceRequirement.objects.update_or_create(code=fields["code"], defaults=fields)
    return row


def training_text(ticket: Ticket) -> str:
    """What the model would have read: the subject and the customer's first message."""
    first = ticket.messages.filter(is_internal=False).order_by("created_at", "id").first()
    body = first.body if first else ""
    return f"{ticket.subject}\n{body}".strip()[:TRAINING_TEXT_CHARS]


def record_recategorisation(*, ticket: Ticket, event: TicketEvent) -> Recategorisation | None:
    """Keep an agent's category change as a labelled example (the system's own are not)."""
    if event.actor is None or getattr(event.actor, "agent", None) is None or not event.new:
        return None
    return Recategorisation.objects.create(
        ticket=ticket,
        text=training_text(ticket),
        old_category=event.old or "",
        new_category=event.new,
        agent=event.actor,
        created_at=event.created_at,
    )
