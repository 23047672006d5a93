"""Required evidence on tickets: ask once for everything missing, wait, continue when it is in.

A new ticket that lacks items gets ONE public reply from the system listing all of them, in the
customer's language, and goes to ``pending_customer`` (the SLA pauses there). Each time the
customer writes or uploads, the ticket is checked again: complete → back to ``open``; still
incomplete after a reply → back to ``pending_customer`` with a reminder of what is left (no
reminder for a duplicate). After ``MAX_REQUESTS`` requests the system stops asking and leaves
the ticket open for an agent. An agent who takes a ticket out of ``pending_customer`` waives the
check: the system never overrides a person.

The state lives in ``Ticket.triage["evidence"]``: required and missing item codes, the
requirements that applied, how many requests were sent, and whether it was waived.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from kefu.accounts.access import SYSTEM
from kefu.delivery.email import MAILED_CHANNELS, mail_ticket
from kefu.delivery.models import Delivery
from kefu.tickets import actions
from kefu.tickets.models import Message, Status, Ticket
from kefu.tickets.work import created_here
from kefu.triage.evidence import EvidenceCheck, Submitted, check_evidence, request_text
from kefu.triage.store import snapshot

MAX_REQUESTS = 3
# In a live conversation the bot and the agent ask for what they need; a template request (and
# its reminders after every line the customer types) would only interrupt.
CONVERSATIONAL_CHANNELS = ("chat", "wechat")
MAX_MESSAGES_READ = 50


def submitted(ticket: Ticket) -> Submitted:
    """The ticket's first message and everything the customer wrote or attached publicly."""
    bodies, types = _submitted_rows(ticket)
    return Submitted(
        text="\n".join([ticket.subject, *bodies]),
        order_id=ticket.order_id,
        error_code=ticket.error_code,
        attachment_types=tuple(types),
    )


def _submitted_rows(ticket: Ticket) -> tuple[list[str], list[str]]:
    """The bodies (the opening message, whoever wrote it, then the customer's) and the public
    attachments' types: as this unit of work wrote them if it created the ticket."""
    new = created_here(ticket.pk)
    if new is not None:
        public = new.public_messages()
        customer = Message.AuthorRole.CUSTOMER
        bodies = [m.body for i, m in enumerate(public) if i == 0 or m.author_role == customer]
        internal = {m.pk for m in new.messages if m.is_internal}
        types = [a.content_type for a in new.attachments if a.message_id not in internal]
        return bodies[:MAX_MESSAGES_READ], types
    public_rows = ticket.messages.filter(is_internal=False).order_by("created_at", "id")
    first = public_rows.values("pk")[:1]
    rows = public_rows.filter(Q(author_role=Message.AuthorRole.CUSTOMER) | Q(pk__in=first))
    public_types = ticket.attachments.exclude(message__is_internal=True).values_list(
        "content_type", flat=True
    )
    return list(rows.values_list("body", flat=True)[:MAX_MESSAGES_READ]), list(public_types)


def _check(ticket: Ticket) -> EvidenceCheck:
    return check_evidence(
        snapshot().requirements,
        category=ticket.category.code if ticket.category else None,
        tags=ticket.tags,
        submitted=submitted(ticket),
    )


def _state(check: EvidenceCheck, requests: int, **extra: Any) -> dict[str, Any]:
    return {
        "required": list(check.required),
        "missing": list(check.missing),
        "requirements": list(check.requirements),
        "requests": requests,
        **extra,
    }


def _language(ticket: Ticket) -> str:
    return "zh" if ticket.language.startswith("zh") else "en"


def _ask(ticket: Ticket, missing: tuple[str, ...], *, reminder: bool) -> Message:
    """One public message listing everything missing, mailed like an agent's reply; the ticket
    waits for the customer."""
    body = request_text(missing, _language(ticket), reminder=reminder)
    message = actions.add_message(
        ticket=ticket, actor=SYSTEM, body=body, status=Status.PENDING_CUSTOMER
    )
    _mail(ticket, message)
    return message


def _mail(ticket: Ticket, message: Message) -> None:
    if ticket.channel not in MAILED_CHANNELS or getattr(ticket.requester, "agent", None):
        return
    mail_ticket(
        ticket,
        template="evidence_request",
        kind=Delivery.Kind.REPLY,
        context={"message": message},
        message=message,
    )


def check_new(ticket: Ticket) -> dict[str, Any]:
    """Check a new ticket; ask for what is missing and wait for the customer."""
    check = _check(ticket)
    if check.complete or ticket.channel in CONVERSATIONAL_CHANNELS:
        state = _state(check, 0)
    else:
        _ask(ticket, check.missing, reminder=False)
        state = _state(check, 1)
    actions.store_triage(ticket=ticket, details={"evidence": state})
    return state


def awaiting(ticket: Ticket) -> bool:
    """The system asked for evidence that is still missing (a chat's list only informs)."""
    state = (ticket.triage or {}).get("evidence") or {}
    return bool(state.get("missing") and state.get("requests")) and not state.get("waived")


def recheck(ticket: Ticket, *, replied: bool, duplicate: bool = False) -> None:
    """The customer added something: continue if complete, else keep waiting.

    ``replied``: a customer message reopened the ticket (``tickets.actions`` does that for every
    customer reply), so an incomplete ticket goes back to ``pending_customer``.
    """
    if not awaiting(ticket):
        return
    state = ticket.triage["evidence"]
    check = _check(ticket)
    requests = int(state.get("requests", 0))
    if check.complete:
        if ticket.status == Status.PENDING_CUSTOMER:
            actions.change_status(ticket=ticket, actor=SYSTEM, status=Status.OPEN)
    elif replied and requests < MAX_REQUESTS:
        if not duplicate:
            _ask(ticket, check.missing, reminder=True)
            requests += 1
        elif ticket.status != Status.PENDING_CUSTOMER:
            actions.change_status(ticket=ticket, actor=SYSTEM, status=Status.PENDING_CUSTOMER)
    actions.store_triage(ticket=ticket, details={"evidence": _state(check, requests)})


def waive(ticket: Ticket, agent_code: str) -> None:
    """An agent moved the ticket on without the evidence; stop asking."""
    state = {**ticket.triage["evidence"], "waived": True, "waived_by": agent_code}
    actions.store_triage(ticket=ticket, details={"evidence": state})
