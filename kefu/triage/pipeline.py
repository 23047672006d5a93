"""Triage as the intake pipeline calls it: classify before the ticket exists, then evidence,
routing and ranking once it does.

``classify`` is the model plus the rules; the category a customer chose, or that the charter's
subject convention names, wins over the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from kefu.accounts.models import Team
from kefu.triage.classifier import TICKET_CATEGORIES, load_default
from kefu.triage.language import detect_language
from kefu.triage.rules import Outcome, RuleContext, apply_rules, default_rules, load_rules

if TYPE_CHECKING:
    from kefu.channels.base import InboundMessage
    from kefu.channels.identity import Identity
    from kefu.tickets.models import Message, Ticket

# Below this calibrated confidence the ticket waits in "needs triage" instead of a guess.
CONFIDENCE_THRESHOLD = 0.6
TRIAGE_TEAM = "triage"
COMPLAINT_TEAM = "complaints"


@dataclass
class Verdict:
    category: str | None
    confidence: float
    language: str
    priority: str = "normal"
    tags: list[str] = field(default_factory=list)
    team: Team | None = None
    error_code: str = ""
    complaint: bool = False
    emergency: bool = False
    rules: tuple[str, ...] = ()
    source: str = "model"  # or "customer", "rules"

    @property
    def details(self) -> dict[str, Any]:
        """What the ticket shows to explain its triage."""
        return {
            "category": self.category,
            "confidence": round(self.confidence, 3),
            "source": self.source,
            "rules": list(self.rules),
            "language": self.language,
        }


def _language(text: str, fallback: str) -> str:
    detected = detect_language(text)
    return detected if detected in ("zh", "en") else fallback


def _rules() -> list[Any]:
    return load_rules(default_rules())


def _context(inbound: InboundMessage, identity: Identity, text: str) -> RuleContext:
    organization = identity.organization
    return RuleContext(
        text=text,
        channel=inbound.channel,
        mailbox=inbound.mailbox,
        org_tier=organization.tier if organization else "",
        category=inbound.fields.category or None,
        order_value=inbound.fields.order_value,
        error_code=inbound.fields.error_code or None,
    )


def classify(*, message: InboundMessage, identity: Identity) -> Verdict:
    text = f"{message.subject}\n{message.text}".strip()
    language = message.fields.language or _language(text, identity.user.lang)
    rules = _rules()
    context = _context(message, identity, text)
    before = apply_rules(rules, context, "before")
    prediction = load_default().predict(text)
    category, confidence, source = _choose_category(message, before, prediction)
    after = apply_rules(rules, replace(context, category=category), "after")
    outcome = before.merge(after)
    if after.category:
        category, source = after.category, "rules"
    return _verdict(message, outcome, category, confidence, language, source, context)


def _choose_category(message: InboundMessage, before: Outcome, prediction: Any) -> tuple:
    if message.fields.category:
        return message.fields.category, 1.0, "customer"
    if before.category:
        return before.category, 1.0, "rules"
    category = prediction.ticket_category
    confidence = prediction.ticket_confidence
    if category not in TICKET_CATEGORIES or confidence < CONFIDENCE_THRESHOLD:
        return None, confidence, "model"
    return category, confidence, "model"


def _verdict(
    message: InboundMessage,
    outcome: Outcome,
    category: str | None,
    confidence: float,
    language: str,
    source: str,
    context: RuleContext,
) -> Verdict:
    complaint = message.mailbox == "complaint"
    priority = message.fields.priority or outcome.priority or "normal"
    if outcome.urgent or outcome.emergency:
        priority = "urgent"
    team_code = outcome.team or (COMPLAINT_TEAM if complaint else None)
    if category is None and team_code is None:
        team_code = TRIAGE_TEAM
    from kefu.triage.errorcodes import extract_error_code

    return Verdict(
        category=category,
        confidence=confidence,
        language=language,
        priority=priority,
        tags=list(outcome.tags),
        team=Team.objects.filter(code=team_code).first() if team_code else None,
        error_code=context.error_code or extract_error_code(context.text) or "",
        complaint=complaint,
        emergency=outcome.emergency,
        rules=outcome.fired,
        source=source,
    )


def find_duplicate(*, message: InboundMessage, identity: Identity) -> Ticket | None:
    """The sender's open ticket this message repeats, if any (issue 4 completes this)."""
    return None


def after_create(*, ticket: Ticket, verdict: Verdict, inbound: InboundMessage) -> None:
    """Evidence check, routing and ranking of a new ticket (issue 4 completes this)."""


def after_message(*, ticket: Ticket, message: Message, inbound: InboundMessage) -> None:
    """A customer wrote again on a ticket (issue 4: evidence re-check, repeat contacts)."""
