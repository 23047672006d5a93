"""Placeholders in macro text: ``{{customer.name}}`` and a few other known names, filled in by
plain substitution.

Macro text is written by people and may be edited by any lead, so it is never evaluated as a
template: only the names in ``NAMES`` are recognised, each replaced by its value as plain text
(the pages escape it when they show it). Anything else in braces stays as it was written, and
``unknown_names`` lets the editor refuse a misspelt name before it is saved.

Pure: no Django, tested without a database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# ``{{ name }}``: letters, digits, underscores and dots; spaces inside the braces are allowed.
PATTERN = re.compile(r"\{\{\s*([A-Za-z0-9_.]+)\s*\}\}")

NAMES = (
    "customer.name",
    "ticket.number",
    "ticket.order_id",
    "ticket.subject",
    "agent.code",
    "sla.first_response_due",
    "sla.next_response_due",
    "sla.resolution_due",
)


def unknown_names(text: str) -> list[str]:
    """Placeholder names in ``text`` that are not in ``NAMES``, in order of appearance."""
    seen: list[str] = []
    for match in PATTERN.finditer(text):
        name = match.group(1)
        if name not in NAMES and name not in seen:
            seen.append(name)
    return seen


def used_names(text: str) -> set[str]:
    return {match.group(1) for match in PATTERN.finditer(text)}


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each known placeholder replaced by its value (once: a value that itself
    looks like a placeholder is not expanded again)."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return values.get(name, "") if name in NAMES else match.group(0)

    return PATTERN.sub(replace, text)
