"""Live chat, the synchronous part: sessions, the bot in front, the queue, agents, ratings.

Every visitor line goes through the intake pipeline (so it is masked, triaged and lands on the
chat's ticket exactly once, keyed by the widget's message id). The WebSocket consumers call these
functions from a thread pool and broadcast what they return.

A chat continues only the ticket it opened itself (``own_ticket``): an email typed into the
pre-chat form proves nothing (``intake.identity``). Agents act only on chats the console's pages
would show them (``session_for_agent``, ``writable``); QA reads, never writes.
"""

from __future__ import annotations

import secrets
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Avg, F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kefu.accounts.access import BOT, Viewer, viewer_for
from kefu.accounts.models import Agent, Organization, Team, User
from kefu.errors import Forbidden, Invalid, NotFound
from kefu.intake.base import InboundAttachment, InboundMessage, TicketFields
from kefu.intake.chat import bot_bridge
from kefu.intake.chat.lines import Line
from kefu.intake.ingest import IngestResult, ingest
from kefu.intake.models import ChatSession, Outcome
from kefu.knowledge import actions as knowledge
from kefu.knowledge import bot
from kefu.knowledge.dialogue import HandoffReason
from kefu.ratings.actions import rate_chat
from kefu.sla.clock import is_open, next_open
from kefu.sla.specs import calendar_for
from kefu.tickets import actions
from kefu.tickets.models import Channel, EventKind, Message, Status, Ticket
from kefu.tickets.uploads import validate_attachment
from kefu.tickets.work import unit_of_work

# Seconds per queued chat ahead, until there is history to average.
DEFAULT_HANDLE_SECONDS = 90
CHAT_CALENDAR = "cn-chat"


@dataclass
class Turn:
    """What happened after a visitor wrote: lines to show, and whether the queue changed."""

    lines: list[Line] = field(default_factory=list)
    duplicate: bool = False
    queued: bool = False
    state: str = ""


def open_session(
    *,
    user: User | None,
    name: str = "",
    email: str = "",
    organization_code: str = "",
    order_id: str = "",
    page_url: str = "",
    language: str = "zh",
) -> ChatSession:
    """Signed-in customers are identified by their session; anonymous visitors give an email."""
    if user is None and "@" not in email:
        raise Invalid(_("Please give your email so we can reach you."), field="email")
    account = getattr(user, "account", None) if user else None
    organization = account.organization if account else None
    if organization is None and organization_code:
        organization = Organization.objects.filter(code=organization_code).first()
    return ChatSession.objects.create(
        token=secrets.token_urlsafe(32),
        visitor=user,
        visitor_name=(name or (user.name if user else ""))[:150],
        visitor_email=(email or (user.email if user else "")).strip().lower(),
        organization=organization if account else None,
        order_id=order_id[:64],
        page_url=page_url[:500],
        language=bot.chat_language(language),
    )


def visitor_connected(session: ChatSession) -> None:
    """A widget of the visitor's is open: replies reach it live (``delivery.replies``)."""
    ChatSession.objects.filter(pk=session.pk).update(
        visitor_sockets=F("visitor_sockets") + 1, visitor_seen_at=timezone.now()
    )


def visitor_left(session: ChatSession) -> None:
    """A widget closed; with none left, replies go to the visitor by mail."""
    ChatSession.objects.filter(pk=session.pk, visitor_sockets__gt=0).update(
        visitor_sockets=F("visitor_sockets") - 1
    )


def resume(token: str) -> ChatSession | None:
    return ChatSession.objects.select_related("ticket", "agent").filter(token=token).first()


def rejoin(token: str, user: User | None) -> ChatSession | None:
    """A widget coming back with its secret token. A signed-in customer's chat comes back only to
    them (its ticket may be one of their earlier ones), never to whoever holds the token."""
    session = resume(token) if token else None
    if session is not None and session.visitor_id is not None:
        return session if user is not None and user.pk == session.visitor_id else None
    return session


def history(session: ChatSession, after: int = 0) -> list[Line]:
    """Public lines of the chat's ticket after ``after``: what a reconnecting widget missed, or
    after a reload (``after`` 0) the whole conversation. Only this chat's own lines: a signed-in
    customer's chat may continue an earlier ticket of theirs, and a resume never replays what
    was written on it before the chat began (issue #17's identity rule)."""
    if session.ticket_id is None:
        return []
    messages = (
        Message.objects.filter(
            ticket_id=session.ticket_id,
            is_internal=False,
            pk__gt=after,
            created_at__gte=session.created_at,
        )
        .select_related("author__agent")
        .order_by("pk")
    )
    offered = session.offered_articles or {}
    return [Line.of(m, articles=offered.get(str(m.pk), [])) for m in messages]


def _inbound(session: ChatSession, client_id: str, text: str) -> InboundMessage:
    return InboundMessage(
        channel=Channel.CHAT,
        external_id=f"chat:{session.pk}:{client_id}"[:255],
        text=text,
        subject="",
        sender_address=session.visitor_email,
        sender_name=session.visitor_name,
        user=session.visitor,
        organization=session.organization,
        # Only the ticket this session opened: an email typed into the pre-chat form proves
        # nothing, so the chat joins no other (``intake.identity``).
        own_ticket=session.ticket.number if session.ticket else "",
        fields=TicketFields(order_id=session.order_id, language=session.language),
    )


def visitor_says(session: ChatSession, client_id: str, text: str, visitor_zone: str = "") -> Turn:
    text = text.strip()[:5000]
    if not text:
        raise Invalid(_("Write a message first."), field="text")
    # The socket's copy may be old: the agent may have accepted or ended the chat meanwhile.
    session.state = ChatSession.objects.values_list("state", flat=True).get(pk=session.pk)
    if session.state == ChatSession.State.ENDED:
        raise Invalid(_("This chat has ended."), field="session")
    result = ingest(_inbound(session, client_id, text))
    if result.outcome == Outcome.DUPLICATE:
        return Turn(lines=[_line(result, client_id)] if result.message else [], duplicate=True)
    if result.ticket is None or result.message is None:
        raise Invalid(_("Your message could not be delivered."), field="text")
    if session.ticket_id is None:
        session.ticket = result.ticket
        ChatSession.objects.filter(pk=session.pk).update(ticket=result.ticket)
    turn = Turn(lines=[_line(result, client_id)], state=session.state)
    if session.state == ChatSession.State.BOT:
        _let_the_bot_answer(session, text, turn, visitor_zone)
    return turn


def visitor_sends_file(session: ChatSession, filename: str, data: bytes) -> Line:
    """A file from the widget: the same checks as any ticket attachment (JPG/PNG/PDF ≤ 10 MB)."""
    if session.ticket is None or session.state == ChatSession.State.ENDED:
        raise Invalid(_("Start the chat first."), field="token")
    # Checked here: an anonymous visitor's message is not interactive, so the pipeline would
    # only list the refused file.
    validate_attachment(filename, data)
    message = _inbound(session, secrets.token_hex(8), f"📎 {filename}")
    message.attachments = [InboundAttachment(filename, data)]
    result = ingest(message)
    if result.message is None:
        raise Invalid(_("Your message could not be delivered."), field="file")
    return _line(result, "")


def _line(result: IngestResult, client_id: str) -> Line:
    assert result.message is not None
    return Line.of(result.message, client_id=client_id)


def _ticket_of(session: ChatSession) -> Ticket:
    """From its first message on, a chat has its ticket."""
    assert session.ticket is not None
    return session.ticket


def _let_the_bot_answer(session: ChatSession, text: str, turn: Turn, visitor_zone: str) -> None:
    """The bot answers at any hour; outside chat hours only its handoff closes (but for an
    emergency, which the escalation follower has paged to the on-duty lead)."""
    answer = bot_bridge.answer(session, text)
    body = answer.text
    triage = answer.handoff_details.get("triage") or {}
    if answer.handoff == HandoffReason.URGENT and triage.get("emergency"):
        _flag_emergency(session)  # a later line of the chat: the ticket becomes an emergency
    if answer.handoff and not _may_hand_off(session, answer.handoff):
        body, answer.handoff = closed_text(session, visitor_zone, answer.language), ""
    elif answer.handoff and not chat_open():
        with translation.override(bot.REPLY_LANGUAGES[answer.language]):
            body = f"{body} {_('Outside chat hours, the on-duty lead has been alerted.')}"
    with unit_of_work():
        message = actions.add_message(ticket=_ticket_of(session), actor=BOT, body=body)
        if answer.resolved:
            session.unresolved_turns = 0
            knowledge.record_reading(
                visitor=f"chat:{session.pk}", user_id=session.visitor_id, source="bot",
                language=session.language, at=message.created_at,
            )  # fmt: skip
        else:
            session.unresolved_turns += 1
        if answer.articles:
            session.offered_articles = {
                **session.offered_articles,
                str(message.pk): answer.articles,
            }
        session.save(update_fields=["unresolved_turns", "offered_articles"])
        turn.lines.append(Line.of(message, articles=answer.articles))
        if answer.handoff:
            turn.queued = _queue(session, answer.handoff, answer.handoff_details)
    turn.state = session.state


def ask_for_person(session: ChatSession, visitor_zone: str = "") -> Turn:
    """The visitor pressed "人工客服" (or typed it): straight to the queue, in chat hours. Outside
    them the bot says when people answer again and points to leave-a-message."""
    if session.state != ChatSession.State.BOT or session.ticket_id is None:
        return Turn(state=session.state)
    if not _may_hand_off(session, HandoffReason.REQUESTED):
        message = actions.add_message(
            ticket=_ticket_of(session), actor=BOT, body=closed_text(session, visitor_zone)
        )
        return Turn(lines=[Line.of(message)], state=session.state)
    return Turn(queued=_queue(session, "requested"), state=session.state)


def _flag_emergency(session: ChatSession) -> None:
    """The bot's triage of the whole chat found an emergency the ticket does not carry yet (it
    was opened by an earlier, ordinary line): flag it, which pages the on-duty lead
    (``escalation.followers``)."""
    ticket = _ticket_of(session)
    if not Ticket.objects.filter(pk=ticket.pk, is_emergency=True).exists():
        actions.update_ticket(ticket=ticket, actor=BOT, changes={"is_emergency": True})


def _may_hand_off(session: ChatSession, reason: str) -> bool:
    """People take chats in chat hours; an emergency reaches the on-duty lead at any hour."""
    if chat_open():
        return True
    if reason != HandoffReason.URGENT or session.ticket_id is None:
        return False
    # Read afresh: a later line of the chat may have made its ticket an emergency.
    return Ticket.objects.filter(pk=session.ticket_id, is_emergency=True).exists()


def _zone(name: str) -> ZoneInfo | None:
    with suppress(ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(name) if name else None
    return None


def next_opening(visitor_zone: str = "", at: datetime | None = None) -> str:
    """When people answer chats again, on the visitor's clock (the calendar's zone when the
    browser did not say): "2026-12-07 09:00 (Europe/Berlin)"; empty if it never opens."""
    now = at or timezone.now()
    try:
        opens = next_open(calendar_for([CHAT_CALENDAR], around=now), now)
    except ValueError:  # a calendar that never opens (BilingualError)
        return ""
    zone = _zone(visitor_zone) or opens.tzinfo
    local = opens.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} ({getattr(zone, 'key', '') or local.tzname()})"


def closed_text(session: ChatSession, visitor_zone: str = "", language: str = "") -> str:
    """The bot's answer to a handoff outside chat hours, in ``language`` (the visitor's, as the
    bot detected it), else in the chat's."""
    with translation.override(bot.REPLY_LANGUAGES[language or session.language]):
        return _closed_text(next_opening(visitor_zone))


def _closed_text(opening: str) -> str:
    if not opening:
        return str(_("Our agents are not answering chats now. I can keep answering from the help "
                     "centre, or leave a message and we will reply by email."))  # fmt: skip
    return str(
        _("Our agents answer chats again from %(time)s. Until then I can keep answering from the "
          "help centre, or leave a message and we will reply by email.") % {"time": opening}
    )  # fmt: skip


def _queue(session: ChatSession, reason: str, details: dict[str, Any] | None = None) -> bool:
    """To the agents' queue; the handoff carries the bot's summary and the triage."""
    if session.state != ChatSession.State.BOT or session.ticket_id is None:
        return False
    now = timezone.now()
    session.state, session.queued_at, session.handoff_reason = (
        ChatSession.State.QUEUED,
        now,
        reason[:40],
    )
    session.save(update_fields=["state", "queued_at", "handoff_reason"])
    actions.record_event(
        _ticket_of(session),
        BOT,
        EventKind.CHAT_HANDOFF,
        data={"reason": reason, "chat": session.pk, **(details or {})},
    )
    return True


def waiting(agent: Agent | None = None) -> list[ChatSession]:
    """The queue, most urgent first (the triage score), then longest waiting."""
    queued = ChatSession.objects.filter(state=ChatSession.State.QUEUED).select_related(
        "ticket", "organization", "team"
    )
    if agent is not None and agent.role != Agent.Role.ADMIN:
        team_ids = list(agent.teams.values_list("id", flat=True))
        queued = queued.filter(Q(team__isnull=True) | Q(team_id__in=team_ids))
    return list(queued.order_by(F("ticket__score").desc(nulls_last=True), "queued_at"))


def queue_position(session: ChatSession) -> tuple[int, int]:
    """(place in the queue, estimated wait in seconds) for a waiting visitor."""
    queue = waiting()
    place = next((i for i, s in enumerate(queue, start=1) if s.pk == session.pk), 0)
    return place, place * average_handle_seconds()


def average_handle_seconds() -> int:
    since = timezone.now() - timedelta(days=7)
    recent = ChatSession.objects.filter(accepted_at__gte=since, queued_at__isnull=False)
    average = recent.aggregate(wait=Avg(F("accepted_at") - F("queued_at")))["wait"]
    return int(average.total_seconds()) if average else DEFAULT_HANDLE_SECONDS


def active_count(agent: Agent) -> int:
    return ChatSession.objects.filter(agent=agent, state=ChatSession.State.ACTIVE).count()


def _may_take_part(agent: Agent) -> None:
    """QA and other read-only roles may read chats, never write into them."""
    if not Viewer(user=agent.user, agent=agent).may_edit_tickets:
        raise Forbidden(_("Your role may read chats but not take part in them."), field="session")


def writable(session_id: int, agent: Agent) -> ChatSession:
    """A chat the agent may type, answer, transfer or end: their own (admins: any)."""
    _may_take_part(agent)
    return owned_by(session_id, agent)


def accept(session_id: int, agent: Agent) -> ChatSession:
    """Take a waiting chat; a conditional UPDATE makes sure only one agent gets it."""
    _may_take_part(agent)
    session_for_agent(session_id, agent)  # another team's queue: not found, as on the pages
    if active_count(agent) >= agent.max_chats:
        raise Forbidden(_("You are at your chat limit."), field="session")
    taken = ChatSession.objects.filter(pk=session_id, state=ChatSession.State.QUEUED).update(
        state=ChatSession.State.ACTIVE, agent=agent, accepted_at=timezone.now()
    )
    session = ChatSession.objects.select_related("ticket").get(pk=session_id)
    if not taken:
        raise Forbidden(_("Another agent took this chat."), field="session")
    actions.update_ticket(
        ticket=_ticket_of(session), actor=viewer_for(agent.user), changes={"assignee": agent}
    )
    return session


def session_for_agent(session_id: int, agent: Agent) -> ChatSession:
    """A chat the agent may look at: their own, one waiting in their teams' queue (admins: all)."""
    session = (
        ChatSession.objects.select_related("ticket", "organization", "visitor")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise NotFound()
    visible = agent.role == Agent.Role.ADMIN or session.agent_id == agent.pk
    if session.state == ChatSession.State.QUEUED:
        visible = visible or session in waiting(agent)
    if not visible:
        raise NotFound()
    return session


def owned_by(session_id: int, agent: Agent) -> ChatSession:
    session = session_for_agent(session_id, agent)
    if session.agent_id != agent.pk and agent.role != Agent.Role.ADMIN:
        raise NotFound()
    return session


def agent_says(session_id: int, agent: Agent, text: str, macro_id: object = None) -> Line:
    """The agent's line; with a macro, its changes and note go with it in one unit of work."""
    session = writable(session_id, agent)
    if session.state != ChatSession.State.ACTIVE:
        raise Invalid(_("This chat is not active."), field="session")
    viewer = viewer_for(agent.user)
    if macro_id in (None, ""):
        message = actions.add_message(ticket=_ticket_of(session), actor=viewer, body=text)
        return Line.of(message)
    from kefu.macros.actions import reply_with_macro
    from kefu.macros.queries import usable_macro

    if not text.strip():  # a chat line carries the macro's changes; an empty one cannot
        raise Invalid(_("Write a reply."), field="text")
    with unit_of_work():
        macro = usable_macro(viewer, macro_id)
        sent = reply_with_macro(ticket=_ticket_of(session), actor=viewer, body=text, macro=macro)
    assert sent is not None
    return Line.of(sent)


def transfer(
    session_id: int, agent: Agent, *, to_agent: Agent | None, to_team: Team | None
) -> ChatSession:
    """Hand the chat to a colleague (stays active) or back to a team's queue."""
    session = writable(session_id, agent)
    if to_agent is not None and to_agent.role == Agent.Role.QA:
        raise Invalid(_("Chats go to agents who may answer them."), field="agent")
    viewer = viewer_for(agent.user)
    if to_agent is not None:
        session.agent = to_agent
        actions.update_ticket(
            ticket=_ticket_of(session), actor=viewer, changes={"assignee": to_agent}
        )
    else:
        session.agent, session.state, session.team = None, ChatSession.State.QUEUED, to_team
        session.queued_at = timezone.now()
        actions.update_ticket(
            ticket=_ticket_of(session), actor=viewer, changes={"assignee": None, "team": to_team}
        )
    session.save(update_fields=["agent", "state", "team", "queued_at"])
    return session


def end(session: ChatSession, by: Viewer) -> ChatSession:
    if session.state == ChatSession.State.ENDED:
        return session
    session.state, session.ended_at = ChatSession.State.ENDED, timezone.now()
    session.save(update_fields=["state", "ended_at"])
    if session.ticket is not None:
        actions.record_event(session.ticket, by, EventKind.CHAT_ENDED, data={"chat": session.pk})
        if session.agent_id is None and session.ticket.status in (Status.NEW, Status.OPEN):
            # The bot alone answered: the visitor left satisfied or will write again.
            actions.change_status(ticket=_ticket_of(session), actor=BOT, status=Status.RESOLVED)
    return session


def rate(session: ChatSession, rating: str, comment: str = "") -> ChatSession:
    if rating not in ChatSession.Rating.values:
        raise Invalid(_("Choose satisfied, neutral or unsatisfied."), field="rating")
    with unit_of_work():
        session.rating, session.rating_comment = rating, comment.strip()[:2000]
        session.save(update_fields=["rating", "rating_comment"])
        # Kept like a ticket's rating (shown alike, changeable for 7 days); an unsatisfied one
        # opens a QA review and tells the lead (``escalation.followers``).
        rate_chat(
            session=session,
            actor=viewer_for(session.visitor) if session.visitor else BOT,
            score=rating,
            comment=session.rating_comment,
        )
    return session


def leave_message(
    *, name: str, email: str, text: str, order_id: str = "", user: User | None = None
) -> Ticket:
    """Outside chat hours the widget offers a form; the message becomes a ticket."""
    result = ingest(
        InboundMessage(
            channel=Channel.CHAT,
            external_id=f"leave:{secrets.token_hex(16)}",
            text=text.strip()[:5000],
            sender_address=(email or (user.email if user else "")).strip().lower(),
            sender_name=name,
            user=user,
            fields=TicketFields(order_id=order_id[:64]),
        )
    )
    if result.ticket is None:
        raise Invalid(_("Your message could not be delivered."), field="text")
    return result.ticket


def chat_open(at: datetime | None = None) -> bool:
    """Whether people answer chats now (the admin's ``cn-chat`` calendar); otherwise a form."""
    now = at or timezone.now()
    return is_open(calendar_for([CHAT_CALENDAR], around=now), now)
