"""A ticket's history in words, in the reader's language: one sentence per event.

Values are shown as people know them — status and priority labels, category names, agent ids —
never as stored codes, so a Chinese page shows no English status or event text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.tickets.models import (
    Channel,
    Complexity,
    EventKind,
    Message,
    Priority,
    Status,
    TicketEvent,
)
from kefu.tickets.queries import active_category

E = EventKind
CHOICES: dict[str, Any] = {
    "status": Status,
    "priority": Priority,
    "complexity": Complexity,
}
RATINGS = {
    "satisfied": gettext_lazy("Satisfied"),
    "neutral": gettext_lazy("Neutral"),
    "unsatisfied": gettext_lazy("Unsatisfied"),
}


def value_label(field: str, value: Any) -> str:
    """A field's value as a person reads it."""
    if value in (None, "", []):
        return "—"
    choices = CHOICES.get(field)
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    if field == "category":
        category = active_category(str(value))
        return str(category) if category else str(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def _channel_label(code: str) -> str:
    return str(Channel(code).label) if code in Channel.values else code


def _metric(event: TicketEvent) -> str:
    from kefu.sla.models import Metric

    new = event.new
    return str(Metric(new).label) if new in Metric.values else str(new or "")


def _field_change(event: TicketEvent) -> str:
    field = event.field or event.kind
    return _("changed %(field)s: %(old)s → %(new)s") % {
        "field": FIELD_NAMES.get(field, field),
        "old": value_label(field, event.old),
        "new": value_label(field, event.new),
    }


FIELD_NAMES: dict[str, Any] = {
    "status": gettext_lazy("status"),
    "priority": gettext_lazy("priority"),
    "category": gettext_lazy("category"),
    "assignee": gettext_lazy("assignee"),
    "team": gettext_lazy("team"),
    "tags": gettext_lazy("tags"),
    "complexity": gettext_lazy("complexity"),
    "order_id": gettext_lazy("order id"),
    "shipment_code": gettext_lazy("shipment code"),
    "error_code": gettext_lazy("error code"),
    "is_emergency": gettext_lazy("emergency"),
    "is_complaint": gettext_lazy("complaint"),
    "score": gettext_lazy("queue score"),
    "related_to": gettext_lazy("linked ticket"),
}


def _role(event: TicketEvent) -> str:
    return str(Message.AuthorRole(event.data["role"]).label) if event.data.get("role") else ""


SENTENCES: dict[str, Callable[[TicketEvent], str]] = {
    E.CREATED: lambda e: _("created the ticket"),
    E.REPLY: lambda e: _("replied"),
    E.NOTE: lambda e: _("added an internal note"),
    E.ATTACHMENT: lambda e: _("attached %(file)s") % {"file": e.new},
    E.REOPENED: lambda e: _("reopened the ticket"),
    E.ON_BEHALF: lambda e: (
        _("opened the ticket on the customer's behalf (%(channel)s)")
        % {"channel": _channel_label(str(e.new or ""))}
    ),
    E.SCORE: lambda e: _("raised the queue score (%(reason)s)") % {"reason": _score_reason(e)},
    E.RELATED_TO: lambda e: _("linked the ticket to %(number)s") % {"number": e.new},
    E.MERGED_INTO: lambda e: _("merged this ticket into %(number)s") % {"number": e.new},
    E.MERGED: lambda e: _("merged %(number)s into this ticket") % {"number": e.new},
    E.SPLIT: lambda e: _("split messages off into %(number)s") % {"number": e.new},
    E.SPLIT_FROM: lambda e: _("split this ticket off from %(number)s") % {"number": e.new},
    E.MASKED: lambda e: _(
        "masked sensitive data in the message (card, ID, phone, password or code)"
    ),
    E.DUPLICATE: lambda e: _("flagged a repeated message as a duplicate"),
    E.FLOOD: lambda e: _("noted a message flood (%(n)s messages in a burst)") % {"n": e.new},
    E.CHAT_HANDOFF: lambda e: (
        _("handed the chat to a person (%(reason)s)")
        % {"reason": e.data.get("reason_text") or e.data.get("reason", "")}
    ),
    E.CHAT_ENDED: lambda e: _("ended the chat"),
    E.RATED: lambda e: (
        _("rated the service: %(rating)s") % {"rating": RATINGS.get(str(e.new), e.new)}
        + (f" — “{e.data['comment']}”" if e.data.get("comment") else "")
    ),
    E.SLA_WARNING: lambda e: _("SLA warning: %(metric)s") % {"metric": _metric(e)},
    E.SLA_BREACH: lambda e: _("SLA breached: %(metric)s") % {"metric": _metric(e)},
    E.ESCALATED: lambda e: (
        _("Escalated along %(path)s, level %(level)s")
        % {
            "path": e.data.get("path", ""),
            "level": e.data.get("level", ""),
        }
    ),
    E.PAGED: lambda e: _("Paged the on-duty lead %(lead)s") % {"lead": e.new or "—"},
    E.NUDGED: lambda e: _("The customer nudged the ticket"),
    E.COMPLAINT: lambda e: _("Formal complaint %(number)s") % {"number": e.new},
    E.QA_REVIEW: lambda e: _("QA review opened"),
    E.QA_REVIEW_DONE: lambda e: _("QA review done"),
    E.QA_OVERDUE: lambda e: _("QA review overdue"),
    E.DELIVERY_FAILED: lambda e: _delivery_failed(e),
}


# Why a score was raised, as the callers of ``tickets.actions.raise_score`` name it.
SCORE_REASONS = {
    "nudge": gettext_lazy("the customer nudged"),
    "nudged": gettext_lazy("the customer nudged"),
}


def _score_reason(event: TicketEvent) -> str:
    reason = str(event.data.get("reason", ""))
    return str(SCORE_REASONS.get(reason, reason))


def _delivery_failed(event: TicketEvent) -> str:
    text = _("could not deliver mail to %(to)s (attempt %(n)s)") % {
        "to": ", ".join(event.data.get("to") or []),
        "n": event.data.get("attempt", "?"),
    }
    return f"{text} — {_('gave up')}" if event.data.get("dead") else text


def describe(event: TicketEvent) -> str:
    """What the event's actor did, as a sentence fragment after their name."""
    sentence = SENTENCES.get(event.kind)
    if sentence is not None:
        return sentence(event)
    return _field_change(event)
