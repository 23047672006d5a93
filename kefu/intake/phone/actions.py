"""The only code that writes calls and callback tasks; tickets go through the intake pipeline.

A call's ticket is opened by ``intake.ingest.ingest`` from an ``InboundMessage`` (channel
``phone``), like every other channel's: a caller verified by a registered phone number files as
their account (the number is the channel's proof), anyone else as an unverified contact. What the
call adds later (an agent's answer, the recording, a voicemail) goes through ``tickets.actions``,
so the SLA clocks, escalation and reports follow as for any ticket change.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu import ratelimit
from kefu.accounts.access import SYSTEM, viewer_for
from kefu.accounts.models import Account, Agent, Organization, User
from kefu.delivery import live
from kefu.errors import Invalid
from kefu.intake.base import InboundMessage, TicketFields
from kefu.intake.ingest import ingest
from kefu.intake.phone import prompts, queries
from kefu.intake.phone.models import (
    Call,
    CallbackTask,
    IvrMenu,
    IvrOption,
    PhoneLine,
    PhonePin,
    Verification,
)
from kefu.sla.clock import due_at
from kefu.sla.specs import calendar_for
from kefu.tickets import actions as tickets
from kefu.tickets.models import Channel, EventKind, Status, Ticket, TicketEvent
from kefu.tickets.work import unit_of_work

# The proof an ``InboundMessage`` carries when the calling number is a registered phone.
PROOF = "phone:registered-number"
PIN_PROOF = "phone:account-pin"
# Wrong account id + PIN attempts before the IVR stops offering it for the call.
PIN_TRIES = 3
PIN_RULE = re.compile(r"\d{4,8}")
# A hash that never matches: an unknown account id costs the same time as a wrong PIN.
_NO_PIN = make_password(None)
NOT_DIGITS = re.compile(r"\D+")
CALLER_DOMAIN = "phone.invalid"
TRIAGE_KEY = "phone"


def start_call(*, line: PhoneLine, call_sid: str, from_number: str, to_number: str) -> Call:
    """The call's row, made on its first request; a platform's retry finds the same row."""
    existing = queries.call_by_sid(line, call_sid)
    if existing is not None:
        return existing
    found = queries.registered_caller(from_number)
    call = Call(line=line, call_sid=call_sid, from_number=from_number[:32],
                to_number=to_number[:32], language=line.language,
                started_at=timezone.now())  # fmt: skip
    if found is not None:
        call.caller, call.organization = found
        call.verification = Verification.REGISTERED_PHONE
    try:
        with transaction.atomic():
            call.save()
    except IntegrityError:  # the same CallSid on another line, or a concurrent retry
        return Call.objects.get(call_sid=call_sid)
    return call


def note_choice(*, call: Call, menu: IvrMenu, choice: IvrOption) -> None:
    """The caller pressed a key: the IVR path travels with the call to its ticket and agent."""
    step = {"menu": menu.code, "key": choice.key, "action": choice.action,
            "label": choice.label(call.language)}  # fmt: skip
    call.path = [*call.path, step]
    if choice.category_id is not None:
        call.category = choice.category.code  # type: ignore[union-attr]
    if choice.skill:
        call.skill = choice.skill
    call.save(update_fields=["path", "category", "skill"])


def switch_language(*, call: Call) -> None:
    call.language = "en" if call.language == "zh" else "zh"
    call.save(update_fields=["language"])


def note_order(*, call: Call, keyed: str) -> None:
    call.order_id = NOT_DIGITS.sub("", keyed)[:64]
    call.path = [*call.path, {"order_id": call.order_id}]
    call.save(update_fields=["order_id", "path"])


def caller_address(number: str) -> str:
    """A contact's stand-in address: a caller known only by number (``.invalid``: never mailed).
    Also used for a contact an agent takes down with a phone number and no email."""
    return f"caller-{NOT_DIGITS.sub('', number) or 'unknown'}@{CALLER_DOMAIN}"


def _summary(call: Call) -> tuple[str, str]:
    """The ticket's subject and opening text, in the call's language."""
    with prompts.speaking(call.language):
        choices = " → ".join(f"{s['key']} {s['label']}" for s in call.path if "key" in s)
        subject = _("Phone call: %(choices)s") % {"choices": choices or "—"}
        lines = [_("Call to %(line)s.") % {"line": call.line.name}]
        lines.append(_("Menu choices: %(choices)s.") % {"choices": choices or "—"})
        if call.order_id:
            lines.append(_("Order number keyed: %(order)s.") % {"order": call.order_id})
        if call.verification == Verification.UNVERIFIED:
            lines.append(_("The calling number is not registered to a customer account."))
    return subject[:255], "\n".join(lines)


def phone_details(call: Call) -> dict[str, object]:
    """What the ticket keeps about its call (its triage details, shown on the desk)."""
    return {
        "line": call.line.code,
        "call": call.call_sid,
        "ivr_path": call.path,
        "verification": call.verification,
        "verified_by": call.verified_by.code if call.verified_by else "",
        "organization": call.organization.code if call.organization else "",
        "skill": call.skill,
        "started_at": call.started_at.isoformat(),
        "answered_at": call.answered_at.isoformat() if call.answered_at else None,
        "ended_at": call.ended_at.isoformat() if call.ended_at else None,
        "recording_url": call.recording_url,
        "voicemail_url": call.voicemail_url,
    }


def open_ticket_for_call(*, call: Call, emergency: bool = False) -> Ticket | None:
    """The call's ticket, opened once through the intake pipeline (None if it was quarantined:
    the call goes on, and the message waits in the quarantine with its reason)."""
    if call.ticket_id is not None:
        return call.ticket
    subject, text = _summary(call)
    caller = call.caller
    message = InboundMessage(
        channel=Channel.PHONE,
        external_id=f"call:{call.call_sid}",
        text=text,
        subject=subject,
        sender_address=caller.email if caller else caller_address(call.from_number),
        sender_name="" if caller else call.from_number,
        sender_proof=(PIN_PROOF if call.verification == Verification.PIN else PROOF)
        if caller
        else "",
        ticket_number=call.join_number,
        received_at=call.started_at,  # the first-response clock runs from the first ring
        fields=TicketFields(category=call.category, order_id=call.order_id, language=call.language),
    )
    ticket = ingest(message).ticket
    if ticket is None:
        return None
    with unit_of_work():
        tickets.store_triage(ticket=ticket, details={TRIAGE_KEY: phone_details(call)})
        if emergency and not ticket.is_emergency:
            tickets.update_ticket(ticket=ticket, actor=SYSTEM, changes={"is_emergency": True})
    call.ticket, call.is_emergency = ticket, emergency
    call.save(update_fields=["ticket", "is_emergency"])
    return ticket


def set_pin(*, user: User, pin: str) -> PhonePin:
    """A customer sets (or changes) their phone PIN: 4 to 8 digits, stored only as a hash. The
    account's phone account id is made once, eight digits, for the keypad."""
    if not PIN_RULE.fullmatch(pin or ""):
        raise Invalid(_("The phone PIN must be 4 to 8 digits."), field="pin")
    found = PhonePin.objects.filter(user=user).first()
    if found is not None:
        found.pin_hash, found.set_at = make_password(pin), timezone.now()
        found.save(update_fields=["pin_hash", "set_at"])
        return found
    while True:
        number = str(10_000_000 + secrets.randbelow(90_000_000))
        try:
            with transaction.atomic():
                return PhonePin.objects.create(user=user, account_number=number,
                                               pin_hash=make_password(pin))  # fmt: skip
        except IntegrityError:
            if PhonePin.objects.filter(user=user).exists():
                raise
            continue  # the random id was taken: draw another


def verify_by_pin(*, call: Call, account_number: str, pin: str) -> bool:
    """The caller keyed a phone account id and PIN. Right: the call is theirs, verified by PIN.
    Wrong: one try fewer (``PIN_TRIES`` per call), whichever half was wrong.

    New calls do not buy new guesses: tries are also limited per account id and per calling
    number across calls (``phone_pin.account``, ``phone_pin.caller``); over a limit even the
    right PIN is answered as wrong, so a guesser learns nothing."""
    if call.pin_tries >= PIN_TRIES:
        return False
    digits = NOT_DIGITS.sub("", account_number)
    try:
        ratelimit.hit("phone_pin.account", digits)
        ratelimit.hit("phone_pin.caller", call.from_number)
        limited = False
    except ratelimit.RateLimited:
        limited = True
    found = (
        PhonePin.objects.select_related("user__account__organization")
        .filter(account_number=digits or "-", user__is_active=True)
        .first()
    )
    right = (
        check_password(pin, found.pin_hash if found else _NO_PIN)
        and found is not None
        and not limited
    )
    account = getattr(found.user, "account", None) if right and found else None
    if found is None or not right or account is None:
        Call.objects.filter(pk=call.pk).update(pin_tries=models.F("pin_tries") + 1)
        call.refresh_from_db(fields=["pin_tries"])
        return False
    call.caller, call.organization = found.user, account.organization
    call.verification, call.verified_at = Verification.PIN, timezone.now()
    call.save(update_fields=["caller", "organization", "verification", "verified_at"])
    _save_details(call)
    return True


def may_try_pin(call: Call) -> bool:
    return call.caller is None and call.pin_tries < PIN_TRIES


def agent_verifies(*, call: Call, agent: Agent, organization: Organization) -> Call:
    """An agent confirmed the caller's company name and account id: the call is verified, by
    whom and how, for the chosen organisation (its main account answers for it)."""
    main = Account.objects.select_related("user").filter(organization=organization, is_main=True)
    account = main.first() or Account.objects.select_related("user").filter(
        organization=organization).order_by("pk").first()  # fmt: skip
    call.organization = organization
    call.caller = call.caller or (account.user if account else None)
    call.verification, call.verified_by, call.verified_at = (
        Verification.AGENT, agent, timezone.now())  # fmt: skip
    call.save(update_fields=["organization", "caller", "verification", "verified_by",
                             "verified_at"])  # fmt: skip
    if call.ticket is not None:
        with unit_of_work():
            with prompts.speaking(call.ticket.language):
                note = _(
                    "Caller verified by %(agent)s: company name and account id %(org)s "
                    "confirmed on the phone."
                ) % {"agent": agent.code, "org": organization.code}
            tickets.add_message(ticket=call.ticket, actor=SYSTEM, body=note, internal=True)
            _save_details(call)
    return call


def join_ticket(*, call: Call, number: str) -> None:
    """The verified caller chose their own open ticket: the call's message joins it."""
    call.join_number = number
    call.save(update_fields=["join_number"])


def paged_lead(ticket: Ticket) -> Agent | None:
    """The on-duty lead the escalation follower paged for this emergency ticket."""
    event = TicketEvent.objects.filter(ticket=ticket, kind=EventKind.PAGED).order_by("-pk").first()
    if event is None or not event.new:
        return None
    return Agent.objects.select_related("user").filter(code=event.new).first()


def ring(*, call: Call, agent: Agent) -> None:
    """The call rings at ``agent``: their open desk pages pop it up (the screen pop)."""
    call.agent, call.state = agent, Call.State.RINGING
    call.save(update_fields=["agent", "state"])
    push_call(agent)


def push_call(agent: Agent) -> None:
    """After commit: the agent's pages re-read their ringing call (the push carries nothing)."""
    user_id = agent.user_id
    transaction.on_commit(lambda: live.send([live.user_group(user_id)], {"type": "call"}))


def enqueue(*, call: Call) -> None:
    call.state = Call.State.QUEUED
    call.save(update_fields=["state"])


def _save_details(call: Call) -> None:
    if call.ticket is not None:
        tickets.store_triage(ticket=call.ticket, details={TRIAGE_KEY: phone_details(call)})


def agent_answered(*, call: Call, agent: Agent) -> None:
    """An agent picked up: the ticket is theirs, and their answer is its first response (a
    public line on the ticket, at the moment of the answer)."""
    if call.answered_at is not None:
        return  # the platform repeats callbacks
    now = timezone.now()
    call.agent, call.state, call.answered_at = agent, Call.State.ANSWERED, now
    call.save(update_fields=["agent", "state", "answered_at"])
    push_call(agent)
    ticket = call.ticket
    if ticket is None:
        return
    with unit_of_work():
        if ticket.status != Status.CLOSED:
            with prompts.speaking(ticket.language):
                body = _("Agent %(agent)s answered your call on the %(line)s.") % {
                    "agent": agent.code, "line": call.line.name}  # fmt: skip
            tickets.add_message(ticket=ticket, actor=viewer_for(agent.user), body=body)
        if ticket.assignee_id != agent.pk:  # the call is theirs now, whoever routing chose
            tickets.update_ticket(ticket=ticket, actor=SYSTEM, changes={"assignee": agent})
        _save_details(call)


def _callback_due(line: PhoneLine, now: datetime) -> datetime:
    calendar = calendar_for([line.calendar.code], around=now)
    return due_at(calendar, now, line.callback_within) or now


def ask_callback(*, call: Call, reason: str) -> CallbackTask:
    """Someone calls this caller back, within the line's callback target in business time."""
    now = timezone.now()
    task, _created = CallbackTask.objects.get_or_create(
        call=call,
        defaults={"line": call.line, "ticket": call.ticket, "number": call.from_number,
                  "reason": reason, "created_at": now, "due_at": _callback_due(call.line, now)},
    )  # fmt: skip
    return task


def start_voicemail(*, call: Call, reason: str) -> CallbackTask:
    call.state = Call.State.VOICEMAIL
    call.save(update_fields=["state"])
    return ask_callback(call=call, reason=reason)


def voicemail_recorded(*, call: Call, url: str) -> None:
    """The voicemail's link goes on the call and, as an internal note, on the ticket."""
    call.voicemail_url = _link(url)
    call.save(update_fields=["voicemail_url"])
    if call.ticket is None:
        return
    with unit_of_work():
        with prompts.speaking(call.ticket.language):
            note = _("Voicemail: %(url)s") % {"url": call.voicemail_url}
        tickets.add_message(ticket=call.ticket, actor=SYSTEM, body=note, internal=True)
        _save_details(call)


def _link(url: str) -> str:
    """A recording link as the platform gave it, if it is a web address (shown on the desk)."""
    url = url.strip()
    return url[:500] if url.startswith(("https://", "http://")) else ""


def dial_ended(*, call: Call, dial_status: str, recording_url: str) -> bool:
    """The agent's leg ended; True when it was answered (else the caller leaves a message)."""
    if _link(recording_url):
        call.recording_url = _link(recording_url)
        call.save(update_fields=["recording_url"])
    return dial_status == "completed" or call.answered_at is not None


def call_ended(*, call: Call, status: str, duration: int | None, recording_url: str) -> None:
    """The platform's last word on the call: its length, its recording, and a callback task if
    nobody took it."""
    if call.ended_at is not None:
        return
    call.ended_at, call.platform_status = timezone.now(), status[:20]
    call.duration_seconds = duration
    call.recording_url = _link(recording_url) or call.recording_url
    was = call.state
    call.state = Call.State.ENDED
    call.save(update_fields=["ended_at", "platform_status", "duration_seconds", "recording_url",
                             "state"])  # fmt: skip
    if was in (Call.State.QUEUED, Call.State.RINGING) and call.answered_at is None:
        ask_callback(call=call, reason=CallbackTask.Reason.ABANDONED)
    if call.agent is not None:
        push_call(call.agent)  # the agent's screen pop closes
    if call.ticket is None:
        return
    with unit_of_work():
        with prompts.speaking(call.ticket.language):
            note = _("Call ended after %(seconds)s s. Recording: %(url)s") % {
                "seconds": duration if duration is not None else "?",
                "url": call.recording_url or "—"}  # fmt: skip
        tickets.add_message(ticket=call.ticket, actor=SYSTEM, body=note, internal=True)
        _save_details(call)


def complete_callback(*, task: CallbackTask, agent: Agent) -> CallbackTask:
    """An agent called back; a task is done once (a second agent's click changes nothing)."""
    now = timezone.now()
    CallbackTask.objects.filter(pk=task.pk, done_at=None).update(done_at=now, done_by=agent)
    task.refresh_from_db()
    return task
