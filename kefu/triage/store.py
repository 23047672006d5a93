"""Triage data as the pipeline reads it: rules, evidence requirements, active categories, the
skills each category needs, and the serving model, cached per process.

Rules and requirements are admin data read for every message, so they are loaded once and kept.
A save in this process invalidates the cache at once (model signals); other processes (workers,
other server instances) notice within ``RECHECK_SECONDS`` through one cheap aggregate query.
The model file is re-stat'ed per call (``classifier.load_current``): retraining swaps it
atomically and serving picks it up without a restart.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Max

from kefu.tickets.models import Category
from kefu.triage.classifier import Model, load_current, load_default
from kefu.triage.config import model_path
from kefu.triage.evidence import Requirement, requirements_from_rows
from kefu.triage.models import CategorySkills, EvidenceRequirement, TriageRule
from kefu.triage.rules import Rule, RuleError

log = logging.getLogger("kefu.triage")
RECHECK_SECONDS = 5.0


def _recheck_seconds() -> float:
    # Tests roll back the rows under the cache; checking the stamp every time sees that.
    return 0.0 if settings.TESTING else RECHECK_SECONDS


@dataclass(frozen=True)
class Snapshot:
    rules: tuple[Rule, ...]
    requirements: tuple[Requirement, ...]
    categories: frozenset[str]  # codes of the active categories
    skills: dict[str, frozenset[str]]  # category code → skills that qualify an agent
    stamp: tuple[Any, ...]


_lock = threading.Lock()
_state: dict[str, Any] = {"snapshot": None, "checked": 0.0}


def _stamp() -> tuple[Any, ...]:
    """Changes whenever a rule, requirement or category is added, removed or edited."""
    rules = TriageRule.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    needs = EvidenceRequirement.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    skills = tuple(CategorySkills.objects.values_list("category__code", "skills"))
    active = tuple(Category.objects.filter(is_active=True).values_list("code", flat=True))
    return rules["n"], rules["at"], needs["n"], needs["at"], str(skills), active


def _valid_rules() -> tuple[Rule, ...]:
    """Every rule that validates; a bad row (edited around the admin) is skipped and logged,
    so one broken rule never stops intake."""
    rules = []
    for row in TriageRule.objects.all():
        try:
            rules.append(Rule.from_dict(row.as_data()))
        except RuleError as error:
            log.error("triage rule skipped: %s", error)
    return tuple(rules)


def _load(stamp: tuple[Any, ...]) -> Snapshot:
    rows = EvidenceRequirement.objects.filter(enabled=True).values(
        "code", "name_en", "name_zh", "categories", "tags_any", "keywords_any", "items"
    )
    return Snapshot(
        rules=_valid_rules(),
        requirements=tuple(requirements_from_rows(list(rows))),
        categories=frozenset(stamp[-1]),
        skills={
            code: frozenset(skills)
            for code, skills in CategorySkills.objects.values_list("category__code", "skills")
        },
        stamp=stamp,
    )


def snapshot() -> Snapshot:
    now = time.monotonic()
    current: Snapshot | None = _state["snapshot"]
    if current is not None and now - _state["checked"] < _recheck_seconds():
        return current
    with _lock:
        stamp = _stamp()
        current = _state["snapshot"]
        if current is None or current.stamp != stamp:
            current = _load(stamp)
            _state["snapshot"] = current
        _state["checked"] = now
    return current


def invalidate(**kwargs: Any) -> None:
    """Drop the cached snapshot (connected to saves and deletes of the cached models)."""
    _state["snapshot"] = None


_bad_model: dict[str, tuple[int, int, int]] = {}


def current_model() -> Model:
    """The retrained model when one was written, else the model shipped in the package."""
    path = os.fspath(model_path())
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return load_default()
    stamp = (info.st_ino, info.st_size, info.st_mtime_ns)
    if _bad_model.get(path) == stamp:
        return load_default()
    try:
        return load_current(path)
    except (ValueError, OSError) as error:
        _bad_model[path] = stamp  # log once per file version, not once per message
        log.error("triage model %s unusable, serving the shipped one: %s", path, error)
        return load_default()
