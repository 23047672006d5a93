"""Triage as the intake pipeline calls it: classify before the ticket exists, then evidence,
routing and ranking once it does.

``classify`` is the model plus the admin's rules; the category a customer chose, or that the
charter's subject convention names, wins over the model. Below the confidence threshold the
ticket waits in the "needs triage" team queue with the model's guess shown. ``find_duplicate``
sends a near-identical repeat into the sender's open ticket; ``lacks_details`` catches messages
that say nothing (emoji, greetings), which get a request for details instead of a ticket.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from kefu.accounts.models import Team
from kefu.accounts.queries import team_by_code
from kefu.lib.subject import strip_reply_prefixes
from kefu.tickets import actions
from kefu.triage import config, evidence_flow, routing
from kefu.triage.dedupe import is_near_empty
from kefu.triage.errorcodes import extract_error_code
from kefu.triage.language import detect_language
from kefu.triage.noise import (
    FLOOD_TAG,
    burst_size,
    flood_noted,
    note_burst,
    note_repeat,
    repeated_ticket,
    request_details,
)
from kefu.triage.rules import Outcome, Rule, RuleContext, apply_rules
from kefu.triage.store import current_model, snapshot

if TYPE_CHECKING:
    from kefu.intake.base import InboundMessage
    from kefu.intake.identity import Identity
    from kefu.tickets.models import Message, Ticket
    from kefu.triage.classifier import Prediction

TRIAGE_TEAM = routing.TRIAGE_TEAM
COMPLAINT_TEAM = "complaints"
CONVERSATIONAL_CHANNELS = evidence_flow.CONVERSATIONAL_CHANNELS
TOP_GUESSES = 3


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
    guesses: tuple[tuple[str, float], ...] = ()  # the model's best categories
    rule_names: dict[str, dict[str, str]] = field(default_factory=dict)
    threshold: float = 0.0  # the setting in force when classified
    # The guess the sender may not file under (``fall_back``), shown to agents.
    not_permitted: str | None = None
    # The sender's messages within the flood window (``with_burst``).
    burst: int = 0

    @property
    def details(self) -> dict[str, Any]:
        """What the ticket shows to explain its triage."""
        return {
            "category": self.category,
            "confidence": round(self.confidence, 3),
            "source": self.source,
            "rules": list(self.rules),
            "rule_names": self.rule_names,
            "language": self.language,
            "model": [[label, round(p, 3)] for label, p in self.guesses],
            "threshold": self.threshold,
            "needs_triage": self.category is None,
            **({"not_permitted": self.not_permitted} if self.not_permitted else {}),
            **({"burst": self.burst} if self.burst else {}),
        }

    @property
    def noted(self) -> list[actions.Noted]:
        """What the new ticket's opening records beside its own events: a flood."""
        flood = flood_noted(self.burst)
        return [] if flood is None else [flood]


def _language(text: str, fallback: str) -> str:
    detected = detect_language(text)
    return detected if detected in ("zh", "en") else fallback


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
    data = snapshot()
    context = _context(message, identity, text)
    before = apply_rules(data.rules, context, "before")
    prediction = current_model().predict(text)
    category, confidence, source = _choose_category(message, before, prediction, data.categories)
    after = apply_rules(data.rules, replace(context, category=category), "after")
    outcome = before.merge(after)
    if after.category in data.categories:
        category, source = after.category, "rules"
    verdict = _verdict(message, outcome, category, confidence, language, source, context)
    verdict.guesses = _guesses(prediction)
    verdict.rule_names = _rule_names(data.rules, outcome.fired)
    return verdict


def _choose_category(
    message: InboundMessage, before: Outcome, prediction: Prediction, active: frozenset[str]
) -> tuple[str | None, float, str]:
    if message.fields.category:
        return message.fields.category, 1.0, "customer"
    if before.category in active:
        return before.category, 1.0, "rules"
    category = prediction.ticket_category
    confidence = prediction.ticket_confidence
    if category not in active or confidence < config.confidence_threshold():
        return None, confidence, "model"
    return category, confidence, "model"


def fall_back(verdict: Verdict, allowed: Callable[[str], bool]) -> Verdict:
    """The guess is a category the sender may not file under (an order-scoped sub-account's
    text read as billing): their message is not refused for a guess they did not make. It takes
    the model's next guess they may file under if that is confident enough, else the "needs
    triage" queue, where an agent decides."""
    threshold = config.confidence_threshold()
    active = snapshot().categories
    for code, probability in verdict.guesses:
        usable = code != verdict.category and code in active and probability >= threshold
        if usable and allowed(code):
            return replace(verdict, category=code, confidence=probability, source="model",
                           not_permitted=verdict.category)  # fmt: skip
    team = verdict.team or team_by_code(TRIAGE_TEAM)
    return replace(verdict, category=None, team=team, not_permitted=verdict.category)


def _guesses(prediction: Prediction) -> tuple[tuple[str, float], ...]:
    ranked = sorted(prediction.probabilities.items(), key=lambda item: -item[1])
    return tuple(ranked[:TOP_GUESSES])


def _rule_names(rules: tuple[Rule, ...], fired: tuple[str, ...]) -> dict[str, dict[str, str]]:
    names = {rule.code: {"en": rule.name_en, "zh": rule.name_zh} for rule in rules}
    return {code: names.get(code, {"en": code, "zh": code}) for code in fired}


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
    return Verdict(
        category=category,
        confidence=confidence,
        language=language,
        priority=priority,
        tags=list(outcome.tags),
        team=team_by_code(team_code) if team_code else None,
        error_code=context.error_code or extract_error_code(context.text) or "",
        complaint=complaint,
        emergency=outcome.emergency,
        rules=outcome.fired,
        source=source,
        threshold=config.confidence_threshold(),
    )


def find_duplicate(*, message: InboundMessage, identity: Identity) -> Ticket | None:
    """The sender's open ticket this message repeats (near-same text within the window).

    Only a proven sender's message joins (``Identity.proven``): a claimed address would
    otherwise seat its claimant in the customer's ticket."""
    if identity.first_contact or not identity.proven:
        return None
    return repeated_ticket(identity.user, message.text or message.subject, message.received_at)


def with_burst(verdict: Verdict, message: InboundMessage) -> Verdict:
    """The verdict for a new ticket with the sender's current burst: a flood tags the ticket
    and is noted in its opening (not by a second write of its row and two more events)."""
    counted = replace(verdict, burst=burst_size(message))
    if counted.noted:
        counted.tags = [*verdict.tags, FLOOD_TAG]
    return counted


def lacks_details(message: InboundMessage) -> bool:
    """A new message that says nothing a person could act on (emoji, greetings) and carries
    no file or structured field. Conversations (chat, WeChat) start with "你好" on purpose:
    the bot or the agent asks what is needed there."""
    fields = message.fields
    # A conversation's opening "你好" is answered there; an agent filing for a customer is not
    # in that conversation and must say what the customer needs, like the portal.
    if message.channel in CONVERSATIONAL_CHANNELS and message.acting is None:
        return False
    if message.attachments or fields.order_id or fields.error_code or fields.category:
        return False
    return is_near_empty(f"{strip_reply_prefixes(message.subject)}\n{message.text}")


def ask_for_details(*, message: InboundMessage, identity: Identity) -> str:
    """Answer a message without details: a 422 for a person waiting (portal, API), a reply mail
    for email. Returns the reason to record; no ticket is opened."""
    return request_details(message, identity)


def after_create(*, ticket: Ticket) -> None:
    """Routing and evidence of a new ticket (its burst came with it: ``with_burst``)."""
    now = timezone.now()
    routed = routing.route(ticket, now)
    actions.store_triage(ticket=ticket, details={"routing": routed.as_dict()})
    evidence_flow.check_new(ticket)


def after_message(*, ticket: Ticket, message: Message, inbound: InboundMessage) -> None:
    """A customer wrote again: note repeats and floods, re-check evidence, re-rank."""
    if message.author_role != message.AuthorRole.CUSTOMER:
        return
    duplicate = note_repeat(ticket, message)
    note_burst(ticket, inbound)
    evidence_flow.recheck(ticket, replied=True, duplicate=duplicate)
