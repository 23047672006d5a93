"""HTTP side of the chat: the widget script, file upload, the offline form, the demo order page
and the agents' console page."""

from __future__ import annotations

import json

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from kefu import ratelimit
from kefu.accounts.models import Agent, Team
from kefu.errors import KefuError
from kefu.intake.chat import service
from kefu.intake.chat.lines import session_group, signed_attachment_id
from kefu.intake.models import ChatSession
from kefu.knowledge.bot import REPLY_LANGUAGES, reason_label
from kefu.knowledge.dialogue import HandoffReason
from kefu.macros.picker import picker_entries
from kefu.tickets.models import Attachment
from kefu.tickets.uploads import read_upload
from kefu.tickets.views.common import agent_required
from kefu.tickets.views.files import file_response
from kefu.visitors import contact

WIDGET_STRINGS = {
    "open": _("Chat with us"),
    "title": _("Online support"),
    "intro": _("A bot answers first; type “人工客服” or press “Talk to a person” for an agent. "
               "Support never asks for passwords or verification codes."),
    "name": _("Your name"),
    "email": _("Your email"),
    "order": _("Order id (optional)"),
    "start": _("Start chat"),
    "placeholder": _("Type your question…"),
    "human": _("Talk to a person"),
    "attach": _("Attach file"),
    "end": _("End chat"),
    "send": _("Send"),
    "offline": _("We are offline now. Leave a message and we will reply by email."),
    "leave": _("Leave a message"),
    "form": _("Files to send? Use the contact form"),
    "left": _("Thank you. Your ticket is {t}."),
    "verify": _("Almost done: open the link we mailed to {e} within 7 days to send your message."),
    "rate": _("How was our service?"),
    "satisfied": _("Satisfied"),
    "neutral": _("Neutral"),
    "unsatisfied": _("Unsatisfied"),
    "comment": _("Comment (optional)"),
    "submit": _("Submit"),
    "thanks": _("Thank you for your rating."),
    "bot": _("Bot"),
    "agent": _("Agent"),
    "you": _("You"),
    "system": _("Support"),
    "reconnecting": _("Reconnecting…"),
    "queue": _("You are number {n} in the queue, about {m} min."),
    "connected": _("Connected to an agent"),
    "botStatus": _("Bot"),
    "ended": _("Chat ended"),
    "closed": _("Outside chat hours"),
    "typing": _("The agent is typing…"),
    "uploading": _("Uploading…"),
    "error": _("Something went wrong. Please try again."),
    "unread": _("New message from support"),
    "back": _("Back to the chat"),
    "introClosed": _("Our agents are offline now; the bot answers around the clock. Support "
                     "never asks for passwords or verification codes."),
}  # fmt: skip


def _strings() -> str:
    """The widget's texts in each of the bot's 12 languages (kefu/locale/<lang>)."""
    table = {}
    for short, django_code in REPLY_LANGUAGES.items():
        with translation.override(django_code):
            table[short] = {key: str(text) for key, text in WIDGET_STRINGS.items()}
    return json.dumps(table, ensure_ascii=False)


@require_GET
@cache_control(max_age=300)
def widget_js(request: HttpRequest) -> HttpResponse:
    script = render_to_string(
        "chat/widget.js",
        {
            "strings": _strings(),
            "css_url": static("chat/widget.css"),
            "upload_url": reverse("chat_upload"),
            "leave_url": reverse("chat_leave"),
            "contact_url": reverse("contact"),
        },
    )
    return HttpResponse(script, content_type="application/javascript; charset=utf-8")


def _error(error: KefuError) -> JsonResponse:
    response = JsonResponse(error.as_dict(), status=error.status)
    if isinstance(error, ratelimit.RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


@csrf_exempt  # authorised by the chat's secret token, not by cookies
@require_POST
def upload(request: HttpRequest) -> JsonResponse:
    user = request.user if request.user.is_authenticated else None
    session = service.rejoin(request.POST.get("token", ""), user)  # type: ignore[arg-type]
    upload_file = request.FILES.get("file")
    if session is None or session.ticket is None or upload_file is None:
        return JsonResponse({"detail": [{"msg": str(_("Start the chat first."))}]}, status=404)
    try:
        if session.visitor_id is None:  # files count as the anonymous visitor's messages
            address = request.META.get("REMOTE_ADDR", "")
            ratelimit.guard("chat_message", address=address, email=session.visitor_email)
        data = read_upload(upload_file.name or "", upload_file)
        line = service.visitor_sends_file(session, upload_file.name or "file", data)
    except KefuError as error:
        return _error(error)
    payload = {"type": "message", "session": session.pk, **line.__dict__}
    async_to_sync(get_channel_layer().group_send)(
        session_group(session.pk), {"type": "chat.line", "payload": payload, "sender": ""}
    )
    return JsonResponse(payload, status=201)


@require_GET
def chat_file(request: HttpRequest, token: str, filename: str) -> FileResponse:
    """A chat's file by its signed link (``lines.file_url``); internal files never."""
    attachment_id = signed_attachment_id(token)
    if attachment_id is None:
        raise Http404
    item = Attachment.objects.filter(pk=attachment_id, message__is_internal=False).first()
    if item is None or item.filename != filename:
        raise Http404
    return file_response(item)


@csrf_exempt  # a public contact form, like the help centre's
@require_POST
def leave(request: HttpRequest) -> JsonResponse:
    """Signed in, the message is a ticket at once (201 with its number). Anonymous, it takes the
    contact form's path (kefu/visitors): kept until the visitor follows the link mailed to the
    address they typed, then a ticket answered by mail (202)."""
    user = request.user if request.user.is_authenticated else None
    try:
        if user is None:
            email = request.POST.get("email", "")[:254]
            submission = contact.Submission(
                # The widget's name is optional; the mail then greets the address's local part.
                name=request.POST.get("name", "")[:150] or email.partition("@")[0],
                email=email,
                description=request.POST.get("text", "")[: contact.MAX_TEXT],
                order_id=request.POST.get("order", "")[:64],
            )
            address = request.META.get("REMOTE_ADDR", "")
            contact.submit(submission, address=address, surface="leave_message")
            return JsonResponse({"verify": submission.email.strip().lower()}, status=202)
        ticket = service.leave_message(
            name=request.POST.get("name", ""),
            email=request.POST.get("email", ""),
            text=request.POST.get("text", ""),
            order_id=request.POST.get("order", ""),
            user=user,  # type: ignore[arg-type]
        )
    except KefuError as error:
        return _error(error)
    return JsonResponse({"ticket": ticket.number}, status=201)


@require_GET
def demo_order(request: HttpRequest, order_id: str) -> HttpResponse:
    """A stand-in for a platform's order page, with the widget bound to the order."""
    return render(request, "chat/demo_order.html", {"order_id": order_id})


@agent_required
def console(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    agent = viewer.agent
    lang = "zh" if (translation.get_language() or "").startswith("zh") else "en"
    context = {
        "agent": agent,
        "strings": {key: str(text) for key, text in CONSOLE_STRINGS.items()},
        "statuses": Agent.Status.choices,
        "teams": Team.objects.all(),
        "colleagues": Agent.objects.exclude(pk=agent.pk).exclude(role=Agent.Role.QA),
        "macros": picker_entries(viewer, lang),
    }
    return render(request, "chat/console.html", context)


HANDOFF_REASONS = {reason.value for reason in HandoffReason}

CONSOLE_STRINGS = {
    "accept": _("Accept"),
    "empty": _("Nobody is waiting."),
    "ended": _("The chat has ended."),
    "visitor": _("Customer"),
    "bot": _("Bot"),
    "system": _("Support"),
}


def _reason_text(reason: str) -> str:
    """Why the bot handed the chat over, in the agent's language."""
    return str(reason_label(HandoffReason(reason))) if reason in HANDOFF_REASONS else reason


def _minutes(minutes: int) -> str:
    return str(_("%(n)s min")) % {"n": minutes}


@agent_required
def queue_json(request: HttpRequest) -> JsonResponse:
    agent = request.viewer.agent  # type: ignore[attr-defined]
    now = timezone.now()
    waiting = [
        {
            "id": s.pk,
            "visitor": s.visitor_name or s.visitor_email,
            "ticket": s.ticket.number if s.ticket else None,
            "reason": _reason_text(s.handoff_reason),
            "waiting": _minutes(int((now - s.queued_at).total_seconds() // 60))
            if s.queued_at
            else "",
        }
        for s in service.waiting(agent)
    ]
    mine = list(
        ChatSession.objects.filter(agent=agent, state=ChatSession.State.ACTIVE).values_list(
            "pk", flat=True
        )
    )
    return JsonResponse({"waiting": waiting, "mine": mine})


@agent_required
def history_json(request: HttpRequest, session_id: int) -> JsonResponse:
    agent = request.viewer.agent  # type: ignore[attr-defined]
    session = service.session_for_agent(session_id, agent)
    return JsonResponse(
        {
            "ticket": session.ticket.number if session.ticket else "",
            "customer": session.visitor_name or session.visitor_email,
            "order": session.order_id,
            "lines": [line.__dict__ for line in service.history(session)],
        }
    )


@agent_required
def console_panel(request: HttpRequest, session_id: int) -> HttpResponse:
    """The customer beside a chat: organisation, order, open tickets, history."""
    viewer = request.viewer  # type: ignore[attr-defined]
    session = service.session_for_agent(session_id, viewer.agent)
    requester = session.ticket.requester if session.ticket else session.visitor
    from kefu.ratings.queries import with_last_rating
    from kefu.tickets.queries import visible_tickets

    others = (
        visible_tickets(viewer).filter(requester=requester)
        if requester
        else visible_tickets(viewer).none()
    )
    if session.ticket_id is not None:
        others = others.exclude(pk=session.ticket_id)
    context = {
        "session": session,
        "reason": _reason_text(session.handoff_reason),
        "queue": session.state == ChatSession.State.QUEUED,
        "tickets": with_last_rating(others).order_by("-created_at")[:10],
    }
    return render(request, "chat/_panel.html", context)


@require_POST
@agent_required
def set_status(request: HttpRequest) -> JsonResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    status = request.POST.get("status", "")
    if status not in Agent.Status.values:
        return JsonResponse({"detail": [{"field": "status", "msg": "unknown"}]}, status=422)
    from kefu.accounts.actions import set_agent_status

    set_agent_status(agent=viewer.agent, status=status)
    return JsonResponse({"status": status})
