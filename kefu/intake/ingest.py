"""THE intake pipeline. Every inbound message, from every channel, passes through ``ingest``.

In one transaction: idempotency → identity → threading → masking → noise (machine mail, loops,
storms) → triage (with the sender's burst) → ticket created or message appended (via
``tickets.actions``) → evidence, routing and score (``triage.pipeline``) → acknowledgements
queued. SLA clocks follow the ticket events. Anything that fails is rolled back and kept in
quarantine with the stage and the reason; nothing is lost. Interactive senders (portal, API,
chat) get their own errors back instead.

With ``KEFU_DERIVE_NEW_TICKETS=batched`` (the default is "inline"), a new ticket from the portal,
the API or email is written "being triaged" and its caller answered at once: its evidence,
routing, SLA clocks, score and what follows them are derived by the worker in batches
(``intake.derivation``). Chat, WeChat, phone and walk-in tickets are always derived here:
someone is on the line.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, connection
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kefu.accounts.access import SYSTEM, Viewer, may_create_ticket
from kefu.errors import AttachmentRejected, Forbidden, KefuError, NotFound
from kefu.intake import acknowledgements, derivation, rawstore
from kefu.intake.base import InboundMessage, IntakeRefused
from kefu.intake.identity import Identity, resolve_identity
from kefu.intake.models import InboundRecord, Outcome, Quarantine
from kefu.intake.thread_match import find_ticket
from kefu.lib.html import html_to_text
from kefu.lib.masking import mask_sensitive
from kefu.lib.subject import parse_service_subject, strip_reply_prefixes
from kefu.tickets import actions
from kefu.tickets.models import (
    LIVE_CHANNELS,
    Category,
    EventKind,
    Message,
    Relation,
    Status,
    Ticket,
)
from kefu.tickets.queries import active_category
from kefu.tickets.uploads import validate_attachment
from kefu.tickets.work import unit_of_work
from kefu.triage import pipeline as triage

log = logging.getLogger("kefu.intake")

# A sender who writes more than this within the window is a storm; the rest is quarantined.
STORM_LIMIT = 30
STORM_WINDOW = timedelta(minutes=10)


@dataclass
class IngestResult:
    outcome: str
    ticket: Ticket | None = None
    message: Message | None = None
    reason: str = ""
    refused_files: list[tuple[str, str]] = field(default_factory=list)
    masked: tuple[str, ...] = ()


class _Stage:
    """Remembers which stage is running, so a failure can name it."""

    name = "start"

    def __call__(self, name: str) -> None:
        self.name = name


def ingest(message: InboundMessage) -> IngestResult:
    stage = _Stage()
    try:
        with unit_of_work():
            return _run(message, stage)
    except KefuError:
        if message.interactive:
            raise  # the person waiting gets the error (404, 403, 422…) in their language
        return quarantine(message, stage.name, "refused")
    except IntakeRefused as refused:
        return quarantine(message, stage.name, str(refused))
    except Exception as error:
        log.exception("intake failed at %s for %s:%s", stage.name, message.channel,
                      message.external_id)  # fmt: skip
        if message.interactive and isinstance(error, IntegrityError):
            raise
        return quarantine(message, stage.name, f"{type(error).__name__}: {error}")


def _run(message: InboundMessage, stage: _Stage) -> IngestResult:
    stage("idempotency")
    record, earlier = _claim_record(message)
    if record is None:
        assert earlier is not None
        return IngestResult(Outcome.DUPLICATE, earlier.ticket, earlier.message, "already received")
    stage("noise")
    if message.from_us:
        return _finish(record, IngestResult(Outcome.IGNORED, reason="our own mail came back"))
    stage("identity")
    identity = resolve_identity(message)
    stage("threading")
    ticket = find_ticket(message, identity)
    while ticket is not None and ticket.merged_into_id:  # merged by an agent: its successor
        ticket = ticket.merged_into
    if ticket is None and message.ticket_number and message.interactive:
        raise NotFound()  # an explicit reply to a ticket the sender may not see
    stage("masking")
    masked = _mask(message)
    stage("noise")
    if message.auto_kind:
        return _finish(record, _record_machine_mail(message, ticket))
    assert identity is not None  # only machine mail goes without one
    _check_storm(message)
    stage("ticket")
    if ticket is not None:
        result = _continue(ticket, message, identity)
    else:
        result = _open(message, identity, stage)
    result.masked = masked
    if masked and result.ticket is not None:
        actions.record_event(result.ticket, SYSTEM, EventKind.MASKED, data={"kinds": list(masked)})
    _finish(record, result)  # first: the acknowledgement's References name this message
    stage("acknowledgement")
    acknowledgements.queue_for(message, result)
    return result


def _claim_record(message: InboundMessage) -> tuple[InboundRecord | None, InboundRecord | None]:
    """Insert the (channel, external id) row first: a concurrent twin waits for this one's
    commit, then finds it (``INSERT … ON CONFLICT DO NOTHING``, no savepoint). An id made here
    has no twin: its row is written once, done (``_finish``).

    Broken mailers reuse ids (``0@localhost``); a different message under a known id gets the
    id suffixed with its fingerprint instead of being dropped as a duplicate.
    Returns (the new record, None), or (None, the record of the earlier delivery).
    """
    fingerprint = message.fingerprint()
    raw_path = _keep_raw(message) if message.raw_suffix == ".eml" else ""
    for external_id in (message.external_id, f"{message.external_id}#{fingerprint[:16]}"):
        record = InboundRecord(
            channel=message.channel,
            external_id=external_id[:255],
            fingerprint=fingerprint,
            sender=message.sender_address[:255],
            mailbox=message.mailbox,
            outcome=Outcome.QUARANTINED,
            raw_path=raw_path,
            received_at=message.received_at,
        )
        if message.id_made_here or _insert_if_new(record):
            return record, None
        existing = InboundRecord.objects.get(channel=message.channel, external_id=external_id[:255])
        if existing.fingerprint == fingerprint:
            return None, existing
    raise IntakeRefused(f"the id {message.external_id!r} is used by two other messages")


def _insert_if_new(record: InboundRecord) -> bool:
    """Insert unless (channel, external id) is taken; whether it was inserted."""
    fields = [f for f in InboundRecord._meta.concrete_fields if not f.primary_key]
    table, quote = InboundRecord._meta.db_table, connection.ops.quote_name
    columns = ", ".join(quote(f.attname if f.column is None else f.column) for f in fields)
    sql = (
        f"INSERT INTO {quote(table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))}) "
        "ON CONFLICT (channel, external_id) DO NOTHING RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [f.get_db_prep_save(getattr(record, f.attname), connection)
                             for f in fields])  # fmt: skip
        inserted = cursor.fetchone()
    if inserted is None:
        return False
    record.pk, record._state.adding = inserted[0], False
    return True


def _finish(record: InboundRecord, result: IngestResult) -> IngestResult:
    record.outcome = result.outcome
    record.reason = result.reason[:255]
    record.ticket = result.ticket
    record.message = result.message
    if record._state.adding:  # an id made here (``_claim_record``)
        record.save()
    else:
        record.save(update_fields=["outcome", "reason", "ticket", "message"])
    return result


def _mask(message: InboundMessage) -> tuple[str, ...]:
    """Mask secrets before anything is stored; the unmasked text is never written. Free text in
    the structured fields and file names count: people type card numbers there too."""
    findings: set[str] = set()

    def masked(value: str) -> str:
        result = mask_sensitive(value)
        findings.update(result.kinds)
        return result.text

    for name in ("text", "full_text", "subject"):
        setattr(message, name, masked(getattr(message, name)))
    message.fields.desired_outcome = masked(message.fields.desired_outcome)
    message.fields.tags = [masked(tag) for tag in message.fields.tags]
    for item in message.attachments:
        item.filename = masked(item.filename)
    if message.html and mask_sensitive(html_to_text(message.html)).kinds:
        message.html = ""  # the masked text rendering stands in for HTML that carried secrets
    return tuple(sorted(findings))


def _record_machine_mail(message: InboundMessage, ticket: Ticket | None) -> IngestResult:
    """Auto-replies and bounces are noted on their ticket and never answered."""
    if ticket is None:
        return IngestResult(Outcome.AUTO_REPLY, reason=message.auto_reason or message.auto_kind)
    note = f"[{message.auto_kind}] {message.subject}\n{message.auto_reason}\n\n{message.text}"
    saved = actions.add_message(ticket=ticket, actor=SYSTEM, body=note.strip(), internal=True)
    return IngestResult(Outcome.AUTO_REPLY, ticket, saved, message.auto_reason or message.auto_kind)


def _check_storm(message: InboundMessage) -> None:
    if message.interactive or not message.sender_address:
        return
    # Counted up to the limit: a storm must not make each of its mails count all of it again.
    recent = InboundRecord.objects.filter(
        sender=message.sender_address[:255],
        received_at__gte=message.received_at - STORM_WINDOW,
    )[: STORM_LIMIT + 1].count()
    if recent > STORM_LIMIT:
        raise IntakeRefused(
            f"mail storm: over {STORM_LIMIT} messages in {STORM_WINDOW} from this sender"
        )


def _actor(message: InboundMessage, identity: Identity) -> Viewer:
    return message.acting or identity.viewer


def _continue(ticket: Ticket, message: InboundMessage, identity: Identity) -> IngestResult:
    if ticket.status == Status.CLOSED:
        return _open(message, identity, _Stage(), follow_up_of=ticket)
    saved = actions.add_message(
        ticket=ticket,
        actor=_actor(message, identity),
        body=message.text or message.subject,
        html=message.html,
        body_full=message.full_text,
    )
    refused = _attach(ticket, saved, message)
    triage.after_message(ticket=ticket, message=saved, inbound=message)
    return IngestResult(Outcome.MESSAGE, ticket, saved, refused_files=refused)


def _subject(message: InboundMessage) -> str:
    subject = strip_reply_prefixes(message.subject).strip()
    return subject or (message.text.strip().splitlines() or ["—"])[0][:120]


def _open(
    message: InboundMessage,
    identity: Identity,
    stage: _Stage,
    follow_up_of: Ticket | None = None,
) -> IngestResult:
    actor = _actor(message, identity)
    chosen = message.interactive and bool(message.fields.category)  # in a form or an API call
    if not _by_staff(actor):
        message.fields.priority = ""  # support sets the priority; customers ask for urgency
    service = parse_service_subject(message.subject)
    if service and service.category and not message.fields.category:
        message.fields.category = service.category
    stage("triage")
    if follow_up_of is None and triage.lacks_details(message):
        reason = triage.ask_for_details(message=message, identity=identity)  # 422 if interactive
        return IngestResult(Outcome.IGNORED, reason=reason)
    verdict = triage.classify(message=message, identity=identity)
    if message.interactive or identity.verified:
        verdict = _permitted(actor, verdict, chosen)
    category = active_category(verdict.category)
    duplicate_of = triage.find_duplicate(message=message, identity=identity)
    if duplicate_of is not None and follow_up_of is None:
        return _continue(duplicate_of, message, identity)
    verdict = triage.with_burst(verdict, message)
    stage("ticket")
    ticket, saved = _create(message, identity, verdict, category, follow_up_of)
    refused = _attach(ticket, saved, message)
    if not ticket.being_triaged:
        stage("routing")
        triage.after_create(ticket=ticket)
    _note_on_behalf(ticket, message)
    return IngestResult(Outcome.TICKET, ticket, saved, refused_files=refused)


def _note_on_behalf(ticket: Ticket, message: InboundMessage) -> None:
    """An agent opened the ticket for the customer: the history names them, and on a call or at
    the desk their conversation with the customer is the first response and the ticket is
    theirs (a public line at that moment, as when an agent answers a hotline call: ``sla.cycles``
    counts it)."""
    agent = message.acting
    if agent is None or not agent.is_agent:
        return
    actions.record_event(ticket, agent, EventKind.ON_BEHALF, new=message.channel,
                         data={"channel": message.channel})  # fmt: skip
    if message.channel not in LIVE_CHANNELS:
        return
    assert agent.agent is not None
    with translation.override("zh-hans" if ticket.language == "zh" else "en"):
        body = str(_("Agent %(agent)s spoke with you and opened this ticket."))
    actions.add_message(ticket=ticket, actor=agent, body=body % {"agent": agent.agent.code})
    if ticket.assignee_id != agent.agent.pk:
        actions.update_ticket(ticket=ticket, actor=SYSTEM, changes={"assignee": agent.agent})


def _by_staff(actor: Viewer) -> bool:
    return actor.is_agent or actor.system


def _permitted(actor: Viewer, verdict: triage.Verdict, chosen: bool) -> triage.Verdict:
    """A category the sender may file under. Their own choice stands or is refused (theirs to
    fix); a guess they may not file under falls back to one they may, never to a refusal."""

    def allowed(code: str | None) -> bool:
        return may_create_ticket(actor, code)

    if not allowed(verdict.category) and not chosen:
        verdict = triage.fall_back(verdict, allowed)
    if not allowed(verdict.category):
        raise Forbidden(_("You may not create this kind of ticket."), field="category")
    return verdict


def _create(
    message: InboundMessage,
    identity: Identity,
    verdict: triage.Verdict,
    category: Category | None,
    follow_up_of: Ticket | None,
) -> tuple[Ticket, Message]:
    fields = message.fields
    staff = _by_staff(_actor(message, identity))
    return actions.open_ticket(
        actor=SYSTEM,  # the right to create was checked above; strangers' mail is accepted
        requester=identity.user,
        organization=identity.organization,
        subject=_subject(message),
        body=message.text or message.subject,
        html=message.html,
        body_full=message.full_text,
        channel=message.channel,
        category=category,
        priority=verdict.priority,
        language=verdict.language,
        tags=[*(fields.tags if staff else ()), *verdict.tags],
        customer_tags=() if staff else fields.tags,  # never select SLA policies or rules
        urgent_requested=fields.urgent,
        order_id=fields.order_id,
        order_value=fields.order_value,
        shipment_code=fields.shipment_code,
        error_code=fields.error_code or verdict.error_code,
        desired_outcome=fields.desired_outcome,
        expected_by=fields.expected_by,
        mailbox=message.mailbox,
        is_verified=identity.verified,
        is_complaint=verdict.complaint,
        is_emergency=verdict.emergency,
        triage={**verdict.details, **identity.details},  # an unproven sender is flagged
        team=verdict.team,
        created_at=message.received_at,
        related_to=follow_up_of,
        relation=Relation.FOLLOW_UP if follow_up_of else "",
        being_triaged=derivation.batched(message.channel),
        noted=verdict.noted,
    )


def _attach(
    ticket: Ticket, saved: Message | None, message: InboundMessage
) -> list[tuple[str, str]]:
    """Store the files that pass the rules; list the refused ones (the message still lands)."""
    refused = []
    for item in message.attachments:
        try:
            validate_attachment(item.filename, item.data)
        except AttachmentRejected as rejection:
            if message.interactive:
                raise
            refused.append((item.filename, str(rejection.message)))
            continue
        actions.attach_file(
            ticket=ticket, actor=SYSTEM, filename=item.filename, data=item.data, message=saved
        )
    return refused


def _keep_raw(message: InboundMessage) -> str:
    """Store the payload, encrypted (``rawstore``); the same bytes are stored once."""
    from kefu.intake.base import to_json

    raw = message.raw if message.raw_suffix == ".eml" else to_json(message)
    return rawstore.keep(raw, message.raw_suffix)


def quarantine(message: InboundMessage, stage: str, reason: str) -> IngestResult:
    """Keep the message raw with its reason; a repeat of a held message only counts an attempt."""
    held = Quarantine.objects.filter(
        channel=message.channel,
        external_id=message.external_id[:255],
        state=Quarantine.State.HELD,
    )
    if not held.update(attempts=F("attempts") + 1, stage=stage, reason=reason[:4000]):
        Quarantine.objects.create(
            channel=message.channel,
            external_id=message.external_id[:255],
            mailbox=message.mailbox,
            sender=message.sender_address[:255],
            subject=mask_sensitive(message.subject).text[:255],  # failures may precede masking
            stage=stage,
            reason=reason[:4000],
            raw_path=_keep_raw(message),
        )
    log.warning("quarantined %s:%s at %s: %s", message.channel, message.external_id, stage, reason)
    return IngestResult(Outcome.QUARANTINED, reason=f"{stage}: {reason}")
