"""Validation errors in the caller's language, each naming its field and the rule it broke."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Request parameter names that django-ninja puts in ``loc`` but callers never wrote.
_WRAPPERS = {"payload", "data", "filters", "body", "query", "path", "form", "file"}

FIELD_LABELS = {
    "subject": gettext_lazy("Subject"),
    "body": gettext_lazy("Description"),
    "category": gettext_lazy("Category"),
    "priority": gettext_lazy("Priority"),
    "status": gettext_lazy("Status"),
    "order_id": gettext_lazy("Order id"),
    "shipment_code": gettext_lazy("Shipment code"),
    "error_code": gettext_lazy("Error code"),
    "desired_outcome": gettext_lazy("What you want"),
    "expected_by": gettext_lazy("Expected by"),
    "language": gettext_lazy("Language"),
    "tags": gettext_lazy("Tags"),
    "assignee": gettext_lazy("Assignee"),
    "team": gettext_lazy("Team"),
    "organization": gettext_lazy("Organisation"),
    "requester_email": gettext_lazy("Requester email"),
    "internal": gettext_lazy("Internal note"),
    "file": gettext_lazy("File"),
    "page": gettext_lazy("Page"),
    "page_size": gettext_lazy("Page size"),
    "q": gettext_lazy("Search words"),
    "lang": gettext_lazy("Language"),
    "mailbox": gettext_lazy("Mailbox"),
}


def _rule(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "string_too_short":
        if ctx.get("min_length", 1) <= 1:
            return _("This field may not be blank.")
        return _("Use at least %(n)s characters.") % {"n": ctx["min_length"]}
    if kind == "string_too_long":
        return _("Use at most %(n)s characters.") % {"n": ctx.get("max_length")}
    if kind in ("literal_error", "enum"):
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind.startswith("int_"):
        return _("Enter a whole number.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Enter a number of at least %(n)s.") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("Enter a number of at most %(n)s.") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Enter a date as YYYY-MM-DD.")
    if kind.startswith("decimal") or kind.startswith("float"):
        return _("Enter a number.")
    if kind.startswith("bool"):
        return _("Enter true or false.")
    if kind in ("list_type", "too_short", "too_long"):
        return _("Enter a list of values.")
    if kind == "string_type":
        return _("Enter text.")
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])
    return str(error.get("msg", _("This value is not valid.")))


def _field_path(loc: Iterable[Any]) -> list[str | int]:
    parts = list(loc)
    # ninja: ["body", "payload", "subject"] → ["body", "subject"]
    return [parts[0], *[p for p in parts[1:] if p not in _WRAPPERS]] if parts else []


def localize_errors(errors: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    localized = []
    for error in errors:
        loc = _field_path(error.get("loc", ()))
        field = ".".join(str(p) for p in loc[1:]) or str(loc[0] if loc else "")
        label = FIELD_LABELS.get(field.split(".")[0], field)
        localized.append(
            {
                "loc": loc,
                "field": field,
                "msg": _("%(field)s: %(rule)s") % {"field": label, "rule": _rule(error)},
                "type": error.get("type", "invalid"),
            }
        )
    return localized
