"""Triage rules: admin-editable data evaluated before and after the classifier.

A rule is plain data (a dict, stored as JSON by the admin): conditions on the message and its
context, and effects on the ticket. ``apply_rules`` is pure: it returns the combined effects and
the codes of the rules that fired, which the ticket shows to explain its triage.

Order of use in the pipeline::

    before = apply_rules(rules, context, "before")          # may already fix the category
    category = before.category or prediction.category       # the model fills the gap
    after = apply_rules(rules, replace(context, category=category), "after")
    outcome = before.merge(after)

Semantics, for both stages:
- Rules run in (``order``, ``code``) order; disabled rules are skipped; a fired rule with
  ``stop`` ends its stage.
- A rule fires when every condition it states holds (unstated conditions are ignored).
  "Mentions" holds when any ``keywords_any`` keyword or any ``patterns_any`` regex is found;
  every ``keywords_all`` keyword and every ``patterns_all`` regex must be found; no
  ``keywords_none`` keyword may be found. Text is matched width- and case-folded (NFKC, lower
  case), so text patterns are written in lower case. An English keyword only matches whole
  words ("hacked" does not match "unhacked").
- Category and team: the first fired rule that sets them wins within a stage; the "after" stage
  wins over "before" (it saw the model's answer). Priority: the most urgent fired value wins.
  Tags: union, in firing order. Urgent and emergency: set if any fired rule sets them, and an
  emergency is always urgent.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from kefu.triage.errorcodes import extract_error_code

DEFAULT_RULES_PATH = Path(__file__).parent / "data" / "default_rules.json"
PRIORITIES = ("low", "normal", "high", "urgent")  # least to most urgent
STAGES = ("before", "after")
MAX_PATTERN_LENGTH = 500
MAX_TEXT_LENGTH = 5_000  # rules read the start of long messages only; bounds regex cost

_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_SLUG = re.compile(r"[a-z][a-z0-9_]{0,63}")


class RuleError(ValueError):
    """A rule that cannot be used, with the rule, the field and the reason in zh and en."""

    def __init__(self, rule: str, field_name: str, reason_en: str, reason_zh: str) -> None:
        self.rule = rule
        self.field = field_name
        self.reason_en = reason_en
        self.reason_zh = reason_zh
        super().__init__(f"rule {rule!r}, {field_name}: {reason_en}")

    def message(self, language: str) -> str:
        """The error for a person reading ``language`` (Chinese for "zh", else English)."""
        if language == "zh":
            return f"规则 {self.rule!r} 的字段 {self.field}：{self.reason_zh}"
        return str(self)


@dataclass(frozen=True)
class Conditions:
    keywords_any: tuple[str, ...] = ()
    patterns_any: tuple[str, ...] = ()
    keywords_all: tuple[str, ...] = ()
    patterns_all: tuple[str, ...] = ()
    keywords_none: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()  # e.g. "email", "chat", "phone", "webform", "wechat", "api"
    mailboxes: tuple[str, ...] = ()  # "complaint" matches complaint@any.domain
    org_tiers: tuple[str, ...] = ()  # e.g. "key_account", "partner", "standard"
    categories: tuple[str, ...] = ()  # the ticket's current category
    min_order_value: Decimal | None = None  # in the platform's reporting currency
    error_code_pattern: str | None = None  # regex the whole error code must match

    def is_empty(self) -> bool:
        return self == Conditions()


@dataclass(frozen=True)
class Effects:
    category: str | None = None
    priority: str | None = None
    tags: tuple[str, ...] = ()
    team: str | None = None  # a team code
    urgent: bool = False
    emergency: bool = False  # handled on non-working days too

    def is_empty(self) -> bool:
        return self == Effects()


@dataclass(frozen=True)
class Rule:
    code: str
    conditions: Conditions
    effects: Effects
    stage: str = "before"
    order: int = 100
    enabled: bool = True
    stop: bool = False
    name_en: str = ""
    name_zh: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rule:
        """Validate and build a rule; raises RuleError naming the field at fault."""
        return _parse_rule(data)

    def to_dict(self) -> dict[str, Any]:
        conditions = _non_default(self.conditions)
        if "min_order_value" in conditions:
            conditions["min_order_value"] = str(conditions["min_order_value"])
        return {
            "code": self.code,
            "name_en": self.name_en,
            "name_zh": self.name_zh,
            "stage": self.stage,
            "order": self.order,
            "enabled": self.enabled,
            "stop": self.stop,
            "conditions": conditions,
            "effects": _non_default(self.effects),
        }


@dataclass(frozen=True)
class RuleContext:
    """What rules may look at. ``text`` is the subject and body as the customer wrote them."""

    text: str
    channel: str = ""
    mailbox: str = ""
    org_tier: str = ""
    category: str | None = None
    order_value: Decimal | None = None
    error_code: str | None = None  # None: taken from the text with extract_error_code


@dataclass(frozen=True)
class Outcome:
    category: str | None = None
    priority: str | None = None
    tags: tuple[str, ...] = ()
    team: str | None = None
    urgent: bool = False
    emergency: bool = False
    fired: tuple[str, ...] = ()  # codes of the rules that fired, in order

    def merge(self, later: Outcome) -> Outcome:
        """This stage's outcome followed by a later stage's (see the module docstring)."""
        return Outcome(
            category=later.category or self.category,
            priority=_most_urgent(self.priority, later.priority),
            tags=_union(self.tags, later.tags),
            team=later.team or self.team,
            urgent=self.urgent or later.urgent,
            emergency=self.emergency or later.emergency,
            fired=self.fired + later.fired,
        )

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


# --- evaluation -----------------------------------------------------------------------------


def apply_rules(rules: Iterable[Rule], context: RuleContext, stage: str) -> Outcome:
    """The combined effects of the rules of ``stage`` that fire for ``context``."""
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {STAGES}, not {stage!r}")
    facts = _Facts.of(context)
    outcome = Outcome()
    for rule in sorted(rules, key=lambda r: (r.order, r.code)):
        if rule.enabled and rule.stage == stage and _fires(rule.conditions, facts):
            outcome = _apply(outcome, rule)
            if rule.stop:
                break
    return outcome


@dataclass(frozen=True)
class _Facts:
    """The context, normalised once for all rules."""

    text: str
    context: RuleContext
    error_code: str | None

    @classmethod
    def of(cls, context: RuleContext) -> _Facts:
        code = context.error_code or extract_error_code(context.text[:MAX_TEXT_LENGTH])
        return cls(_normalise(context.text[:MAX_TEXT_LENGTH]), context, code)


def _fires(c: Conditions, facts: _Facts) -> bool:
    return _text_holds(c, facts.text) and _context_holds(c, facts)


def _text_holds(c: Conditions, text: str) -> bool:
    if (c.keywords_any or c.patterns_any) and not (
        (c.keywords_any and _any_keyword(c.keywords_any).search(text))
        or any(_pattern(p).search(text) for p in c.patterns_any)
    ):
        return False
    return (
        all(_any_keyword((k,)).search(text) for k in c.keywords_all)
        and all(_pattern(p).search(text) for p in c.patterns_all)
        and not (c.keywords_none and _any_keyword(c.keywords_none).search(text))
    )


def _context_holds(c: Conditions, facts: _Facts) -> bool:
    ctx = facts.context
    checks = (
        not c.channels or ctx.channel.casefold() in _folded(c.channels),
        not c.mailboxes or _mailbox_matches(ctx.mailbox, c.mailboxes),
        not c.org_tiers or ctx.org_tier.casefold() in _folded(c.org_tiers),
        not c.categories or ctx.category in c.categories,
        c.min_order_value is None
        or (ctx.order_value is not None and ctx.order_value >= c.min_order_value),
        c.error_code_pattern is None
        or (facts.error_code is not None and _code_matches(c.error_code_pattern, facts.error_code)),
    )
    return all(checks)


def _apply(outcome: Outcome, rule: Rule) -> Outcome:
    e = rule.effects
    return Outcome(
        category=outcome.category or e.category,
        priority=_most_urgent(outcome.priority, e.priority),
        tags=_union(outcome.tags, e.tags),
        team=outcome.team or e.team,
        urgent=outcome.urgent or e.urgent or e.emergency,
        emergency=outcome.emergency or e.emergency,
        fired=(*outcome.fired, rule.code),
    )


def _most_urgent(a: str | None, b: str | None) -> str | None:
    present = [p for p in (a, b) if p is not None]
    return max(present, key=PRIORITIES.index) if present else None


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return a + tuple(tag for tag in b if tag not in a)


def _folded(values: Iterable[str]) -> set[str]:
    return {v.casefold() for v in values}


def _mailbox_matches(mailbox: str, wanted: Iterable[str]) -> bool:
    address = mailbox.casefold().strip()
    local = address.split("@", 1)[0]
    return any(w.casefold() in (address, local) for w in wanted)


def _normalise(text: str) -> str:
    # Line breaks stay: patterns use them as sentence edges.
    return re.sub(r"[^\S\n]+", " ", unicodedata.normalize("NFKC", text).casefold())


def _keyword_regex(keyword: str) -> str:
    """A keyword as a regex; ASCII-word edges must be word boundaries ("hacked" ≠ "unhacked")."""
    word = _normalise(keyword).strip()
    start = r"(?<![a-z0-9])" if word[:1].isascii() and word[:1].isalnum() else ""
    end = r"(?![a-z0-9])" if word[-1:].isascii() and word[-1:].isalnum() else ""
    return start + re.escape(word) + end


def text_mentions(keywords: tuple[str, ...] | list[str], text: str) -> bool:
    """Whether ``text`` mentions any keyword, matched as rules match ``keywords_any``."""
    return (
        bool(keywords)
        and _any_keyword(tuple(keywords)).search(_normalise(text[:MAX_TEXT_LENGTH])) is not None
    )


@lru_cache(maxsize=4096)
def _any_keyword(keywords: tuple[str, ...]) -> re.Pattern[str]:
    """One regex finding any of the keywords: one scan of the text instead of one per keyword."""
    return re.compile("|".join(_keyword_regex(k) for k in keywords))


@lru_cache(maxsize=4096)
def _pattern(pattern: str) -> re.Pattern[str]:
    # The text is already lower-cased and patterns are validated to be lower case, so no
    # IGNORECASE: it doubles the cost of every scan.
    return re.compile(pattern)


@lru_cache(maxsize=4096)
def _code_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _code_matches(pattern: str, code: str) -> bool:
    return _code_pattern(pattern).fullmatch(code) is not None


def _non_default(instance: Any) -> dict[str, Any]:
    values = {}
    for f in fields(instance):
        value = getattr(instance, f.name)
        if value != f.default:
            values[f.name] = list(value) if isinstance(value, tuple) else value
    return values


# --- parsing --------------------------------------------------------------------------------

_LIST_CONDITIONS = {f.name for f in fields(Conditions) if f.default == ()}
_PATTERN_CONDITIONS = {"patterns_any", "patterns_all"}


def default_rules() -> list[dict[str, Any]]:
    """The shipped rules as plain dicts (what the migration seeds and the admin edits)."""
    with open(DEFAULT_RULES_PATH, encoding="utf-8") as handle:
        return json.load(handle)


def load_rules(data: Iterable[Mapping[str, Any]]) -> list[Rule]:
    """Rules from a list of dicts (the admin's JSON, or DEFAULT_RULES); codes must be unique."""
    rules, seen = [], set()
    for item in data:
        rule = Rule.from_dict(item)
        if rule.code in seen:
            raise RuleError(rule.code, "code", "duplicate rule code", "规则代码重复")
        seen.add(rule.code)
        rules.append(rule)
    return rules


def _parse_rule(data: Mapping[str, Any]) -> Rule:
    code = data.get("code")
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise RuleError(
            str(code), "code", "letters, digits, - and _ only", "只能包含字母、数字、- 和 _"
        )
    _reject_unknown(code, "", data, {f.name for f in fields(Rule)})
    rule = Rule(
        code=code,
        conditions=_parse_conditions(code, data.get("conditions") or {}),
        effects=_parse_effects(code, data.get("effects") or {}),
        stage=data.get("stage", "before"),
        order=data.get("order", 100),
        enabled=data.get("enabled", True),
        stop=data.get("stop", False),
        name_en=data.get("name_en", ""),
        name_zh=data.get("name_zh", ""),
    )
    _check_rule(rule)
    return rule


def _check_rule(rule: Rule) -> None:
    if rule.stage not in STAGES:
        raise RuleError(rule.code, "stage", f"must be one of {STAGES}", "只能是 before 或 after")
    if not isinstance(rule.order, int) or isinstance(rule.order, bool):
        raise RuleError(rule.code, "order", "must be a whole number", "必须是整数")
    for name in ("enabled", "stop"):
        if not isinstance(getattr(rule, name), bool):
            raise RuleError(rule.code, name, "must be true or false", "必须是 true 或 false")
    for name in ("name_en", "name_zh"):
        if not isinstance(getattr(rule, name), str):
            raise RuleError(rule.code, name, "must be a text", "必须是文本")
    if rule.conditions.is_empty():
        raise RuleError(rule.code, "conditions", "state at least one condition", "至少需要一个条件")
    if rule.effects.is_empty():
        raise RuleError(rule.code, "effects", "state at least one effect", "至少需要一个效果")


def _reject_unknown(code: str, prefix: str, data: Mapping[str, Any], known: set[str]) -> None:
    for key in data:
        if key not in known:
            raise RuleError(code, prefix + str(key), "unknown field", "未知字段")


def _parse_conditions(code: str, data: Mapping[str, Any]) -> Conditions:
    _reject_unknown(code, "conditions.", data, {f.name for f in fields(Conditions)})
    values: dict[str, Any] = {}
    for name in _LIST_CONDITIONS & set(data):
        values[name] = _string_list(code, f"conditions.{name}", data[name])
        if name in _PATTERN_CONDITIONS:
            for i, pattern in enumerate(values[name]):
                _check_pattern(code, f"conditions.{name}[{i}]", pattern)
                _check_lower_case(code, f"conditions.{name}[{i}]", pattern)
    if data.get("min_order_value") is not None:
        values["min_order_value"] = _decimal(code, data["min_order_value"])
    if data.get("error_code_pattern") is not None:
        _check_pattern(code, "conditions.error_code_pattern", data["error_code_pattern"])
        values["error_code_pattern"] = data["error_code_pattern"]
    for i, category in enumerate(values.get("categories", ())):
        _check_slug(code, f"conditions.categories[{i}]", category)
    return Conditions(**values)


def _parse_effects(code: str, data: Mapping[str, Any]) -> Effects:
    _reject_unknown(code, "effects.", data, {f.name for f in fields(Effects)})
    effects = Effects(
        category=data.get("category"),
        priority=data.get("priority"),
        tags=_string_list(code, "effects.tags", data.get("tags", ())),
        team=data.get("team"),
        urgent=data.get("urgent", False),
        emergency=data.get("emergency", False),
    )
    if effects.category is not None:
        _check_slug(code, "effects.category", effects.category)
    if effects.team is not None:
        _check_slug(code, "effects.team", effects.team)
    if effects.priority is not None and effects.priority not in PRIORITIES:
        raise RuleError(code, "effects.priority", f"must be one of {PRIORITIES}", "优先级无效")
    for name in ("urgent", "emergency"):
        if not isinstance(getattr(effects, name), bool):
            raise RuleError(
                code, f"effects.{name}", "must be true or false", "必须是 true 或 false"
            )
    return effects


def _string_list(code: str, where: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise RuleError(code, where, "must be a list of texts", "必须是文本列表")
    if not all(isinstance(item, str) and item.strip() for item in value):
        raise RuleError(code, where, "entries must be non-empty texts", "每一项都必须是非空文本")
    return tuple(value)


def _check_pattern(code: str, where: str, pattern: Any) -> None:
    if not isinstance(pattern, str) or not pattern or len(pattern) > MAX_PATTERN_LENGTH:
        raise RuleError(
            code,
            where,
            f"must be a regex of 1-{MAX_PATTERN_LENGTH} characters",
            "正则表达式长度无效",
        )
    try:
        re.compile(pattern)
    except re.error as error:
        raise RuleError(
            code, where, f"invalid regex: {error}", f"正则表达式无效：{error}"
        ) from None


def _check_lower_case(code: str, where: str, pattern: str) -> None:
    """Text patterns run on lower-cased text, so an upper-case letter could never match."""
    if any(char.isupper() for char in re.sub(r"\\.", "", pattern)):
        raise RuleError(
            code,
            where,
            "write text patterns in lower case (the text is matched lower-cased)",
            "文本正则请用小写（匹配时文本已转为小写）",
        )


def _check_slug(code: str, where: str, value: Any) -> None:
    if not isinstance(value, str) or not _SLUG.fullmatch(value):
        raise RuleError(
            code, where, "must be a code like payment_billing", "必须是类似 payment_billing 的代码"
        )


def _decimal(code: str, value: Any) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or isinstance(value, bool):
        raise RuleError(code, "conditions.min_order_value", "must be a number", "必须是数字")
    return number
