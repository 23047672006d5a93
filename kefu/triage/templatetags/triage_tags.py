"""Why a ticket ranks and routes where it does, for the agents' pages (``triage_tags``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kefu.tickets.models import Category, Ticket
from kefu.triage.evidence import ITEMS

register = template.Library()
REASONS_SHOWN = 3


def _zh() -> bool:
    return (get_language() or "").startswith("zh")


def _label(term: dict[str, Any]) -> str:
    return str(term["zh"] if _zh() else term["en"])


def _points(value: float) -> str:
    return f"{value:+.0f}"


@register.filter
def score_reasons(ticket: Ticket) -> str:
    """The largest score terms in a line: "Emergency +50 · Priority: urgent +40"."""
    terms = (ticket.triage or {}).get("score_terms", [])[:REASONS_SHOWN]
    return " · ".join(f"{_label(t)} {_points(t['points'])}" for t in terms)


@register.filter
def score_explained(ticket: Ticket) -> str:
    """Every term, one per line (for a tooltip)."""
    terms = (ticket.triage or {}).get("score_terms", [])
    return "\n".join(f"{_points(t['points'])} {_label(t)}" for t in terms)


def _routing_text(routing: dict[str, Any]) -> str:
    how = routing.get("how")
    texts = {
        "account_manager": _("Key account: assigned to the account manager %(agent)s."),
        "least_load": _(
            "Assigned to %(agent)s: on shift, speaks the language, has the skill, "
            "fewest open tickets (%(load)s)."
        ),
        "kept": _("Already assigned when it arrived."),
        "needs_triage": _("Waiting for a person to choose the category."),
        "unroutable": _(
            "Nobody in the team can take it now (%(team_agents)s agents, %(on_shift)s "
            "on shift, %(speak_language)s speak the language, %(skilled)s with the "
            "skill): it waits in the team queue."
        ),
        "no_team": _("No team: it waits in the general queue."),
    }
    counts = ("team_agents", "on_shift", "speak_language", "skilled")
    values = {
        "agent": routing.get("assignee") or "—",
        "load": routing.get("load") or 0,
        **{name: routing.get(name, 0) for name in counts},
    }
    return texts[how] % values if how in texts else ""


@register.inclusion_tag("triage/_desk_triage.html")
def triage_panel(ticket: Ticket) -> dict[str, Any]:
    details = ticket.triage or {}
    names = {c.code: c.label for c in Category.objects.all()}
    rule_names = details.get("rule_names", {})
    evidence = details.get("evidence") or {}
    label = "label_zh" if _zh() else "label_en"
    return {
        "ticket": ticket,
        "details": details,
        "source": details.get("source"),
        "guesses": [(names.get(code, code), p) for code, p in details.get("model", [])],
        "rules": [
            (code, (rule_names.get(code) or {}).get("zh" if _zh() else "en") or code)
            for code in details.get("rules", [])
        ],
        "terms": [(_label(t), _points(t["points"])) for t in details.get("score_terms", [])],
        "routing": _routing_text(details.get("routing") or {}),
        "missing": [getattr(ITEMS[c], label) for c in evidence.get("missing", []) if c in ITEMS],
        "waived": evidence.get("waived"),
    }
