"""Validation errors in the caller's language, each naming its field and the rule it broke."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field
from pydantic_core import PydanticCustomError

# The largest value of the databases' 64-bit id columns. A larger id is the caller's error (422),
# where SQLite would fail to bind it (OverflowError, a 500) and PostgreSQL would reject the query.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def not_nullable(schema: dict[str, Any]) -> None:
    """``json_schema_extra`` of an optional field that may be left out but not sent as null
    (with ``refuse_null``): its ``None`` only means "not given", so the OpenAPI schema must not
    offer null as a value."""
    schema.pop("default", None)
    options = [option for option in schema.pop("anyOf", []) if option.get("type") != "null"]
    if len(options) == 1:
        schema.update(options[0])
    elif options:
        schema["anyOf"] = options


def refuse_null(value: Any) -> Any:
    """A ``mode="before"`` validator for such fields: an explicit null is the caller's error."""
    if value is None:
        raise PydanticCustomError("null_not_allowed", "null is not allowed here")
    return value


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
    "requester": gettext_lazy("Requester"),
    "channel": gettext_lazy("Channel"),
    "internal": gettext_lazy("Internal note"),
    "file": gettext_lazy("File"),
    "page": gettext_lazy("Page"),
    "page_size": gettext_lazy("Page size"),
    "q": gettext_lazy("Search words"),
    "lang": gettext_lazy("Language"),
    "mailbox": gettext_lazy("Mailbox"),
    "path": gettext_lazy("Web address"),
    "complexity": gettext_lazy("Complexity"),
    "messages": gettext_lazy("Messages"),
    "message_id": gettext_lazy("Message"),
    "ids": gettext_lazy("Notifications"),
    "delivery_id": gettext_lazy("Delivery"),
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
    if kind == "null_not_allowed":
        return _("Enter a value; leave the field out to keep it as it is.")
    if kind == "nul_character":
        return _("Remove the NUL character (\\x00); text may not contain it.")
    if kind == "invalid_utf8":
        return _("Send the text as valid UTF-8.")
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])
    return str(error.get("msg", _("This value is not valid.")))


def problem_message(kind: str) -> str:
    """The rule a refused piece of text broke (``input_guard.Problem.kind``), in words."""
    return _rule({"type": kind})


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
