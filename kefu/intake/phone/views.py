"""The voice webhook: ``/voice/<line>/…``, one view per step of a call, each answering TwiML.

Every request must carry a valid ``X-Twilio-Signature`` made with the line's secret over the
public URL (``KEFU_VOICE_PUBLIC_URL``: behind a reverse proxy the platform signs the address it
called, not the one Django sees); anything else gets 403 before a row is read or written.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kefu.intake.phone import actions, prompts, queries, signature
from kefu.intake.phone.models import Call, CallbackTask, IvrAction, IvrMenu, IvrOption, PhoneLine
from kefu.intake.phone.twiml import CONTENT_TYPE, Response
from kefu.sla.clock import is_open
from kefu.sla.specs import calendar_for
from kefu.tickets.models import Status

MAX_MENU_TRIES = 3
ANSWERED_STATUSES = {"in-progress", "answered"}
Handler = Callable[[HttpRequest, PhoneLine, Call], Response]


def public_url(path: str, **query: object) -> str:
    base = str(getattr(settings, "KEFU_VOICE_PUBLIC_URL", "") or settings.SITE_URL).rstrip("/")
    suffix = f"?{urlencode(query)}" if query else ""
    return f"{base}{path}{suffix}"


def step_url(line: PhoneLine, step: str, **query: object) -> str:
    return public_url(reverse(f"voice_{step}", args=[line.code]), **query)


def _params(request: HttpRequest) -> list[tuple[str, str]]:
    if request.method != "POST":
        return []
    return [(name, value) for name, values in request.POST.lists() for value in values]


def _signed(request: HttpRequest, line: PhoneLine) -> bool:
    """Twilio's (and SignalWire's) HMAC over URL and fields, or Telnyx's Ed25519 over the body."""
    if line.telnyx_public_key and signature.TELNYX_SIGNATURE in request.headers:
        return signature.is_valid_telnyx(
            line.telnyx_public_key,
            request.body,
            request.headers.get(signature.TELNYX_TIMESTAMP, ""),
            request.headers[signature.TELNYX_SIGNATURE],
            timezone.now().timestamp(),
        )
    url = public_url(request.get_full_path())
    given = next((request.headers[h] for h in signature.HEADERS if h in request.headers), "")
    return signature.is_valid(line.signing_secret, url, _params(request), given)


def _field(request: HttpRequest, name: str) -> str:
    data = request.POST if request.method == "POST" else request.GET
    return str(data.get(name, "")).strip()


def _query(request: HttpRequest, name: str) -> str:
    """A value Kefu put in the URL it gave the platform (signed with the rest of the URL)."""
    return str(request.GET.get(name, "")).strip()


def _text(status: int, text: str) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def voice_step(handler: Handler) -> Callable[[HttpRequest, str], HttpResponse]:
    """Line lookup, signature check and the call's row, around one step's handler."""

    @csrf_exempt  # authorised by the platform's signature, not by cookies
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, line_code: str) -> HttpResponse:
        line = queries.active_line(line_code)
        if line is None:
            return _text(404, "unknown line")
        if not _signed(request, line):
            return _text(403, "invalid signature")
        call_sid = _field(request, "ParentCallSid") or _field(request, "CallSid")
        if not call_sid or len(call_sid) > 128:
            return _text(422, "CallSid: required, at most 128 characters")
        call = actions.start_call(line=line, call_sid=call_sid, from_number=_field(request, "From"),
                                  to_number=_field(request, "To"))  # fmt: skip
        if call.line_id != line.pk:
            return _text(409, "CallSid: this call belongs to another line")
        with prompts.speaking(call.language):
            response = handler(request, line, call)
        return HttpResponse(response.render(), content_type=CONTENT_TYPE)

    view.__name__ = handler.__name__
    view.__doc__ = handler.__doc__
    return view


# --- the menu ----------------------------------------------------------------------------------


def _menu(response: Response, line: PhoneLine, call: Call, menu: IvrMenu, tries: int = 0) -> None:
    if tries >= MAX_MENU_TRIES:
        response.say(prompts.goodbye(), call.language)
        response.hangup()
        return
    gather = response.gather(action=step_url(line, "key", menu=menu.code), language=call.language,
                             num_digits=1)  # fmt: skip
    gather.say(menu.prompt(call.language), call.language)
    for choice in queries.options(menu):
        gather.say(prompts.option(choice, call.language), call.language)
    response.redirect(step_url(line, "menu", menu=menu.code, tries=tries + 1))


@voice_step
def incoming(request: HttpRequest, line: PhoneLine, call: Call) -> Response:
    """A new call: the greeting (which says support never asks for passwords), then the menu."""
    response = Response()
    response.say(prompts.greeting(line.name), call.language)
    _menu(response, line, call, line.menu)
    return response


@voice_step
def menu(request: HttpRequest, line: PhoneLine, call: Call) -> Response:
    """A menu again (no key heard, a submenu, back after an answer)."""
    response = Response()
    chosen = queries.menu(_query(request, "menu")) or line.menu
    tries = int(_query(request, "tries")) if _query(request, "tries").isdigit() else 0
    _menu(response, line, call, chosen, min(tries, MAX_MENU_TRIES))
    return response


def _chosen(request: HttpRequest, call: Call, menu: IvrMenu) -> IvrOption | None:
    """The option keyed (``Digits``) or said (``SpeechResult``: a digit, or an option's label)."""
    choices = queries.options(menu)
    digits = _field(request, "Digits")[:1]
    speech = _field(request, "SpeechResult")
    if not digits and speech:
        digits = next((c for c in speech if c.isdigit()), "")
        if not digits:
            heard = speech.lower().strip(" .。")
            return next((c for c in choices if c.label(call.language).lower() in heard
                         or heard in c.label(call.language).lower()), None)  # fmt: skip
    return next((c for c in choices if c.key == digits), None) if digits else None


@voice_step
def key(request: HttpRequest, line: PhoneLine, call: Call) -> Response:
    """The caller chose an option of a menu: do what it says."""
    response = Response()
    current = queries.menu(_query(request, "menu")) or line.menu
    choice = _chosen(request, call, current)
    if choice is None:
        response.say(prompts.no_such_key(), call.language)
        response.redirect(step_url(line, "menu", menu=current.code))
        return response
    actions.note_choice(call=call, menu=current, choice=choice)
    _ACTIONS[IvrAction(choice.action)](response, line, call, choice)
    return response


def _submenu(response: Response, line: PhoneLine, call: Call, choice: IvrOption) -> None:
    _menu(response, line, call, choice.submenu or line.menu)


def _language(response: Response, line: PhoneLine, call: Call, choice: IvrOption) -> None:
    actions.switch_language(call=call)
    with prompts.speaking(call.language):
        _menu(response, line, call, choice.menu)


def _kb_answer(response: Response, line: PhoneLine, call: Call, choice: IvrOption) -> None:
    answer = queries.article_answer(choice.article_slug, call.language)
    response.say(answer or prompts.not_available(), call.language)
    response.redirect(step_url(line, "menu", menu=choice.menu.code))


def _ask_ticket(response: Response, line: PhoneLine, call: Call, choice: IvrOption) -> None:
    _ask_ticket_from(response, line, call, choice.menu.code)


def _ask_ticket_from(response: Response, line: PhoneLine, call: Call, menu_code: str) -> None:
    """A verified caller keys a ticket number; an unverified one may first key their phone
    account id and PIN (until ``PIN_TRIES`` wrong tries), else hears only public answers."""
    if call.caller is None and actions.may_try_pin(call):
        gather = response.gather(action=step_url(line, "account", menu=menu_code),
                                 language=call.language, timeout=10, speech=False)  # fmt: skip
        gather.say(prompts.key_account(), call.language)
        response.redirect(step_url(line, "menu", menu=menu_code))
        return
    if call.caller is None:  # unverified callers hear only public information
        response.say(prompts.verify_first(), call.language)
        response.redirect(step_url(line, "menu", menu=menu_code))
        return
    gather = response.gather(action=step_url(line, "ticket", menu=menu_code),
                             language=call.language, timeout=10, speech=False)  # fmt: skip
    gather.say(prompts.key_ticket(), call.language)
    response.redirect(step_url(line, "menu", menu=menu_code))


def _ask_order(response: Response, line: PhoneLine, call: Call, choice: IvrOption) -> None:
    gather = response.gather(action=step_url(line, "order"), language=call.language, timeout=10,
                             speech=False)  # fmt: skip
    gather.say(prompts.key_order(), call.language)
    response.redirect(step_url(line, "menu", menu=choice.menu.code))


def _to_agent_option(response: Response, line: PhoneLine, call: Call, choice: IvrOption) -> None:
    _to_agent(response, line, call)


def _callback(response: Response, line: PhoneLine, call: Call, choice: IvrOption) -> None:
    ticket = actions.open_ticket_for_call(call=call)
    actions.ask_callback(call=call, reason=CallbackTask.Reason.REQUESTED)
    _say_ticket(response, call, ticket)
    response.say(prompts.callback_requested(), call.language)
    response.say(prompts.goodbye(), call.language)
    response.hangup()


def _voicemail_option(response: Response, line: PhoneLine, call: Call, choice: IvrOption) -> None:
    ticket = actions.open_ticket_for_call(call=call)
    _say_ticket(response, call, ticket)
    _voicemail(response, line, call, prompts.closed_leave_message(), CallbackTask.Reason.VOICEMAIL)


def _emergency(response: Response, line: PhoneLine, call: Call, choice: IvrOption) -> None:
    """Around the clock, holidays included: the on-duty lead, paged and rung."""
    ticket = actions.open_ticket_for_call(call=call, emergency=True)
    _say_ticket(response, call, ticket)
    lead = actions.paged_lead(ticket) if ticket else None
    response.say(prompts.emergency(), call.language)
    if lead is None:
        actions.enqueue(call=call)
        response.enqueue(
            "emergency", action=step_url(line, "dialed"), wait_url=step_url(line, "hold")
        )
        return
    actions.ring(call=call, agent=lead)
    answered = step_url(line, "agent", agent=lead.code)
    if lead.user.phone:
        response.dial_number(
            lead.user.phone, action=step_url(line, "dialed"), status_callback=answered
        )
    else:
        response.dial_client(lead.code, action=step_url(line, "dialed"), status_callback=answered,
                             caller_id=line.number)  # fmt: skip


_ACTIONS: dict[IvrAction, Callable[[Response, PhoneLine, Call, IvrOption], None]] = {
    IvrAction.SUBMENU: _submenu,
    IvrAction.LANGUAGE: _language,
    IvrAction.KB_ANSWER: _kb_answer,
    IvrAction.TICKET_STATUS: _ask_ticket,
    IvrAction.ORDER: _ask_order,
    IvrAction.CATEGORY: _to_agent_option,
    IvrAction.QUEUE: _to_agent_option,
    IvrAction.CALLBACK: _callback,
    IvrAction.VOICEMAIL: _voicemail_option,
    IvrAction.EMERGENCY: _emergency,
}


# --- to a person, or a message -----------------------------------------------------------------


def _say_ticket(response: Response, call: Call, ticket: object) -> None:
    number = getattr(ticket, "number", "")
    if number:
        response.say(prompts.ticket_number(number), call.language)


def _is_open(line: PhoneLine) -> bool:
    now = timezone.now()
    return is_open(calendar_for([line.calendar.code], around=now), now)


def _voicemail(response: Response, line: PhoneLine, call: Call, prompt: str, reason: str) -> None:
    actions.start_voicemail(call=call, reason=reason)
    response.say(prompt, call.language)
    response.record(action=step_url(line, "voicemail"))
    response.say(prompts.goodbye(), call.language)
    response.hangup()


def _to_agent(response: Response, line: PhoneLine, call: Call, *, say_number: bool = True) -> None:
    """Ticket first (its number is read), then an agent with the skill, the queue, or, outside
    the line's hours, a voicemail and a callback task."""
    ticket = actions.open_ticket_for_call(call=call)
    if say_number:
        _say_ticket(response, call, ticket)
    if not _is_open(line):
        _voicemail(response, line, call, prompts.closed_leave_message(),
                   CallbackTask.Reason.VOICEMAIL)  # fmt: skip
        return
    agent = queries.agent_for_skill(call.skill)
    if agent is None:
        actions.enqueue(call=call)
        response.say(prompts.please_hold(), call.language)
        response.enqueue(call.skill or "general", action=step_url(line, "dialed"),
                         wait_url=step_url(line, "hold"))  # fmt: skip
        return
    actions.ring(call=call, agent=agent)
    response.say(prompts.connecting(), call.language)
    response.dial_client(agent.code, action=step_url(line, "dialed"),
                         status_callback=step_url(line, "agent", agent=agent.code),
                         caller_id=line.number)  # fmt: skip


@voice_step
def order(request: HttpRequest, line: PhoneLine, call: Call) -> Response:
    """The order number keyed: kept on the call and its ticket, then to an agent."""
    response = Response()
    keyed = _field(request, "Digits") or _field(request, "SpeechResult")
    if not any(c.isdigit() for c in keyed):
        response.say(prompts.key_order(), call.language)
        response.redirect(step_url(line, "menu"))
        return response
    actions.note_order(call=call, keyed=keyed)
    _to_agent(response, line, call)
    return response


@voice_step
def ticket(request: HttpRequest, line: PhoneLine, call: Call) -> Response:
    """A verified caller keyed a ticket number: its status, if their account may see it."""
    response = Response()
    menu_code = _query(request, "menu") or line.menu.code
    found = queries.callers_ticket(call, _field(request, "Digits"))
    if found is None:
        response.say(prompts.no_ticket_found(), call.language)
    else:
        response.say(prompts.ticket_status(found.number, str(Status(found.status).label)),
                     call.language)  # fmt: skip
        if call.ticket_id is None and queries.is_open(found):  # the call may join it
            gather = response.gather(
                action=step_url(line, "join", menu=menu_code, ticket=found.number),
                language=call.language, num_digits=1, speech=False,
            )  # fmt: skip
            gather.say(prompts.offer_join(found.number), call.language)
    response.redirect(step_url(line, "menu", menu=menu_code))
    return response


@voice_step
def account(request: HttpRequest, line: PhoneLine, call: Call) -> Response:
    """The phone account id keyed: now the PIN (the id travels in the signed URL)."""
    response = Response()
    menu_code = _query(request, "menu") or line.menu.code
    keyed = "".join(c for c in _field(request, "Digits") if c.isdigit())[:12]
    if not keyed:
        response.redirect(step_url(line, "menu", menu=menu_code))
        return response
    gather = response.gather(action=step_url(line, "pin", menu=menu_code, account=keyed),
                             language=call.language, timeout=10, speech=False)  # fmt: skip
    gather.say(prompts.key_pin(), call.language)
    response.redirect(step_url(line, "menu", menu=menu_code))
    return response


@voice_step
def pin(request: HttpRequest, line: PhoneLine, call: Call) -> Response:
    """The PIN keyed: verified, the caller goes on to key a ticket number; wrong, they may try
    again while tries are left."""
    response = Response()
    menu_code = _query(request, "menu") or line.menu.code
    if actions.verify_by_pin(call=call, account_number=_query(request, "account"),
                             pin=_field(request, "Digits")):  # fmt: skip
        response.say(prompts.pin_verified(), call.language)
    else:
        response.say(prompts.pin_wrong(), call.language)
    _ask_ticket_from(response, line, call, menu_code)
    return response


@voice_step
def join(request: HttpRequest, line: PhoneLine, call: Call) -> Response:
    """Key 1 after hearing an open ticket's status: the call joins it, then to an agent."""
    response = Response()
    menu_code = _query(request, "menu") or line.menu.code
    found = queries.callers_open_ticket(call, _query(request, "ticket"))
    if _field(request, "Digits")[:1] != "1" or found is None or call.ticket_id is not None:
        if _field(request, "Digits")[:1] == "1" and found is None:
            response.say(prompts.no_ticket_found(), call.language)
        response.redirect(step_url(line, "menu", menu=menu_code))
        return response
    actions.join_ticket(call=call, number=found.number)
    response.say(prompts.joined(found.number), call.language)
    _to_agent(response, line, call, say_number=False)
    return response


@voice_step
def hold(request: HttpRequest, line: PhoneLine, call: Call) -> Response:
    """What a queued caller hears, repeated by the platform while they wait."""
    response = Response()
    response.say(prompts.please_hold(), call.language)
    response.pause(10)
    return response


@voice_step
def agent(request: HttpRequest, line: PhoneLine, call: Call) -> Response:
    """The agent's leg: ringing, answered (a ``<Dial>`` status callback, or a softphone taking
    the call from the queue with ``<Queue url=…>``), completed."""
    found = queries.agent_by_code(_query(request, "agent"))
    answered = _field(request, "CallStatus") in ANSWERED_STATUSES or bool(
        _field(request, "QueueSid")
    )
    if found is not None and answered:
        actions.agent_answered(call=call, agent=found)
    elif (
        found is not None
        and _field(request, "CallStatus") == "ringing"
        and call.answered_at is None
    ):
        actions.ring(call=call, agent=found)
    return Response()


@voice_step
def dialed(request: HttpRequest, line: PhoneLine, call: Call) -> Response:
    """A ``<Dial>`` or ``<Enqueue>`` ended: hang up after a conversation, else a message."""
    response = Response()
    outcome = _field(request, "DialCallStatus") or _field(request, "QueueResult")
    if outcome == "hangup":  # the caller left the queue; the status callback makes the task
        return response
    dial_status = "completed" if outcome == "bridged" else outcome
    recording = _field(request, "RecordingUrl")
    answered = actions.dial_ended(call=call, dial_status=dial_status, recording_url=recording)
    if answered:
        response.say(prompts.goodbye(), call.language)
        response.hangup()
        return response
    _voicemail(response, line, call, prompts.no_answer_leave_message(), CallbackTask.Reason.MISSED)
    return response


@voice_step
def voicemail(request: HttpRequest, line: PhoneLine, call: Call) -> Response:
    """The caller's message was recorded: its link on the ticket, then goodbye."""
    response = Response()
    url = _field(request, "RecordingUrl")
    if url:
        actions.voicemail_recorded(call=call, url=url)
        response.say(prompts.thanks_call_back(), call.language)
    else:
        response.say(prompts.not_recorded(), call.language)
    response.hangup()
    return response


@voice_step
def status(request: HttpRequest, line: PhoneLine, call: Call) -> Response:
    """The platform's status callback: the call ended (its length and recording)."""
    final = _field(request, "CallStatus")
    if final in {"completed", "busy", "no-answer", "failed", "canceled"}:
        duration = _field(request, "CallDuration")
        actions.call_ended(call=call, status=final,
                           duration=int(duration) if duration.isdigit() else None,
                           recording_url=_field(request, "RecordingUrl"))  # fmt: skip
    return Response()
