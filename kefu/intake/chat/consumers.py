"""WebSockets of the chat: visitors (the widget) and agents (the console).

The consumers stay asynchronous and thin: database work runs on a small fixed thread pool (one
connection per thread, reused), and everything a chat's participants must see is sent to the
chat's group, so with Redis as the channel layer a visitor and an agent connected to different
server processes still talk.

Access (``service``): the widget's socket acts only on the session it said hello to; every
action on the agents' socket checks the same rules as the console's pages (a chat in another
team's queue is not found; QA reads but never types or writes). Opening chats and sending
messages are rate-limited per client address and per claimed email (``kefu.ratelimit``).
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth.models import AnonymousUser
from django.db import close_old_connections
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kefu import ratelimit
from kefu.accounts.access import viewer_for
from kefu.errors import Invalid, KefuError
from kefu.input_guard import json_problems
from kefu.intake.chat import service
from kefu.intake.chat.lines import session_group
from kefu.intake.models import ChatSession
from kefu.knowledge import bot
from kefu.validation import problem_message

log = logging.getLogger("kefu.chat")

# Two threads overlap one message's database waits with another's Python; more only fight over
# the GIL. Measured with bench/chat.py on PostgreSQL: p99 173 ms with four, 92–137 ms with two.
_db_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="kefu-chat")
AGENTS_GROUP = "chat.agents"


def agent_group(agent_id: int) -> str:
    return f"chat.agent.{agent_id}"


def _in_thread(function: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return function(*args, **kwargs)
    finally:
        close_old_connections()


async def db(function: Any, *args: Any, **kwargs: Any) -> Any:
    return await sync_to_async(_in_thread, thread_sensitive=False, executor=_db_pool)(
        function, *args, **kwargs
    )


def _line(line: service.Line, session_id: int) -> dict[str, Any]:
    """A message as both sides see it; the console routes it to its chat by ``session``."""
    return {"type": "message", "session": session_id, **line.__dict__}


def _session_id(content: dict[str, Any]) -> int:
    try:
        return int(content["session"])
    except (KeyError, TypeError, ValueError):
        raise Invalid(_("Name the chat by its number."), field="session") from None


def _refuse_broken_text(content: dict[str, Any]) -> None:
    """The sockets' share of the input guard: no NUL, no lone surrogate in any string."""
    problems = json_problems(content)
    if problems:
        where = problems[0].loc[1] if len(problems[0].loc) > 1 else "text"
        raise Invalid(problem_message(problems[0].kind), field=str(where))


class ChatBase(AsyncJsonWebsocketConsumer):
    # Errors are read in the socket's language (the widget's ``lang``, the agent's own).
    language = "zh-hans"

    def client_address(self) -> str:
        client = self.scope.get("client")
        return str(client[0]) if client else ""

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        handler = getattr(self, f"on_{kind}", None) if isinstance(kind, str) else None
        if handler is None:
            await self.send_json({"type": "error", "field": "type", "detail": "unknown type"})
            return
        try:
            _refuse_broken_text(content)
            await handler(content)
        except KefuError as error:
            with translation.override(self.language):
                frame = {"type": "error", **error.as_dict(), "ref": content.get("id")}
            await self.send_json(frame)
        except Exception:
            log.exception("chat handler %s failed", kind)
            await self.send_json(
                {"type": "error", "detail": "server error", "ref": content.get("id")}
            )

    # Group events: relay to this socket.
    async def chat_line(self, event: dict[str, Any]) -> None:
        await self.send_json(event["payload"])

    async def chat_state(self, event: dict[str, Any]) -> None:
        await self.send_json(event["payload"])

    async def chat_typing(self, event: dict[str, Any]) -> None:
        if event.get("sender") != self.channel_name:
            await self.send_json(event["payload"])

    async def to_session(self, session_id: int, handler: str, payload: dict[str, Any]) -> None:
        event = {"type": handler, "payload": payload, "sender": self.channel_name}
        await self.channel_layer.group_send(session_group(session_id), event)

    async def queue_changed(self) -> None:
        await self.channel_layer.group_send(
            AGENTS_GROUP, {"type": "chat.state", "payload": {"type": "queue_changed"}}
        )


class VisitorConsumer(ChatBase):
    """The widget: hello (new or resumed session) → messages, typing, 人工客服, rating."""

    session: Any = None
    visitor_zone = ""  # the browser's time zone (IANA name), for the next opening time

    async def connect(self) -> None:
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.session is not None:
            await self.channel_layer.group_discard(
                session_group(self.session.pk), self.channel_name
            )
            await db(service.visitor_left, self.session)

    async def on_hello(self, content: dict[str, Any]) -> None:
        user = self.scope.get("user")
        signed_in = None if user is None or isinstance(user, AnonymousUser) else user
        self.language = bot.REPLY_LANGUAGES[bot.chat_language(str(content.get("lang", "")))]
        self.visitor_zone = str(content.get("tz") or "")[:64]
        session = await db(service.rejoin, str(content.get("token") or ""), signed_in)
        if session is None:
            session = await self._open(content, signed_in)
        if self.session is not None:  # one socket, one chat: leave the one it had
            await self.channel_layer.group_discard(
                session_group(self.session.pk), self.channel_name
            )
        if self.session is not None and self.session.pk != session.pk:
            await db(service.visitor_left, self.session)  # a second hello on one socket
        if self.session is None or self.session.pk != session.pk:
            await db(service.visitor_connected, session)
        self.session = session
        await self.channel_layer.group_add(session_group(session.pk), self.channel_name)
        missed = await db(service.history, session, int(content.get("last_seq") or 0))
        await self.send_json(await self._state())
        for line in missed:
            await self.send_json(_line(line, session.pk))

    async def _open(self, content: dict[str, Any], signed_in: Any) -> Any:
        email = str(content.get("email", ""))
        if signed_in is None:
            await db(ratelimit.guard, "chat_session", address=self.client_address(), email=email)
        return await db(
            service.open_session,
            user=signed_in,
            name=str(content.get("name", "")),
            email=email,
            organization_code=str(content.get("org", "")),
            order_id=str(content.get("order", "")),
            page_url=str(content.get("page", "")),
            language=str(content.get("lang", "zh")),
        )

    async def _state(self) -> dict[str, Any]:
        session = self.session
        state: dict[str, Any] = {
            "type": "session",
            "token": session.token,
            "state": session.state,
            "ticket": session.ticket.number if session.ticket_id else None,
            "open": await db(service.chat_open),
            # The token's holder typed these: leave-a-message needs not ask again after a reload.
            "name": session.visitor_name,
            "email": session.visitor_email,
        }
        if session.state == "queued":
            state["position"], state["wait_seconds"] = await db(service.queue_position, session)
        return state

    async def on_message(self, content: dict[str, Any]) -> None:
        self._require_session()
        client_id = str(content.get("id", ""))[:64]
        if self.session.visitor_id is None:
            email = self.session.visitor_email
            await db(ratelimit.guard, "chat_message", address=self.client_address(), email=email)
        before = self.session.state
        text = str(content.get("text", ""))
        turn = await db(service.visitor_says, self.session, client_id, text, self.visitor_zone)
        await self.send_json(
            {"type": "ack", "id": client_id, "seq": turn.lines[0].seq if turn.lines else None}
        )
        if turn.duplicate:
            return
        for line in turn.lines:
            await self.to_session(self.session.pk, "chat.line", _line(line, self.session.pk))
        # The widget's state only changes when the bot hands over or an agent came or left (or,
        # while queued, its place in the queue): a chat in full flow skips the refresh.
        if turn.queued or turn.state != before or turn.state == ChatSession.State.QUEUED:
            await self._after_turn(turn)

    async def _after_turn(self, turn: service.Turn) -> None:
        self.session = await db(service.resume, self.session.token)
        if turn.queued:
            await self.queue_changed()
        await self.send_json(await self._state())

    async def on_human(self, content: dict[str, Any]) -> None:
        self._require_session()
        turn = await db(service.ask_for_person, self.session, self.visitor_zone)
        for line in turn.lines:
            await self.to_session(self.session.pk, "chat.line", _line(line, self.session.pk))
        await self._after_turn(turn)

    async def on_typing(self, content: dict[str, Any]) -> None:
        self._require_session()
        await self.to_session(
            self.session.pk,
            "chat.typing",
            {"type": "typing", "from": "visitor", "session": self.session.pk},
        )

    async def on_rate(self, content: dict[str, Any]) -> None:
        self._require_session()
        await db(
            service.rate,
            self.session,
            str(content.get("rating", "")),
            str(content.get("comment", "")),
        )
        await self.send_json({"type": "rated"})

    async def on_end(self, content: dict[str, Any]) -> None:
        self._require_session()
        viewer = await db(viewer_for, self.session.visitor) if self.session.visitor else None
        from kefu.accounts.access import BOT

        self.session = await db(service.end, self.session, viewer or BOT)
        await self.to_session(
            self.session.pk, "chat.state", {"type": "ended", "session": self.session.pk}
        )
        await self.queue_changed()

    def _require_session(self) -> None:
        if self.session is None:
            raise KefuError("Say hello first.", field="type")


class AgentConsumer(ChatBase):
    """The agents' console: the queue, accepting, several chats at once, transfer, end."""

    agent: Any = None

    # Sessions this socket may type into, and until when that was checked (typing comes with
    # every keystroke: the rule is asked again at most every TYPING_RECHECK seconds).
    TYPING_RECHECK = 5.0
    may_type: dict[int, float]

    async def connect(self) -> None:
        user = self.scope.get("user")
        self.agent = await db(_agent_of, user)
        if self.agent is None:
            await self.close(code=4403)
            return
        self.language, self.may_type = user.language, {}
        await self.accept()
        await self.channel_layer.group_add(AGENTS_GROUP, self.channel_name)
        await self.channel_layer.group_add(agent_group(self.agent.pk), self.channel_name)
        for session_id in await db(_active_sessions, self.agent):
            await self.channel_layer.group_add(session_group(session_id), self.channel_name)
        await self.send_json({"type": "queue_changed"})

    async def disconnect(self, code: int) -> None:
        if self.agent is not None:
            await self.channel_layer.group_discard(AGENTS_GROUP, self.channel_name)
            await self.channel_layer.group_discard(agent_group(self.agent.pk), self.channel_name)

    async def on_accept(self, content: dict[str, Any]) -> None:
        session = await db(service.accept, _session_id(content), self.agent)
        await self.channel_layer.group_add(session_group(session.pk), self.channel_name)
        await self.to_session(
            session.pk,
            "chat.state",
            {"type": "accepted", "session": session.pk, "agent": self.agent.code},
        )
        await self.send_json({"type": "opened", "session": session.pk})
        await self.queue_changed()

    async def on_message(self, content: dict[str, Any]) -> None:
        """The line reaches the chat's group after commit, like a reply from the desk or the
        API (``delivery.replies.push_to_chat``); this socket gets the acknowledgement."""
        session_id = _session_id(content)
        text, macro = str(content.get("text", "")), content.get("macro")
        line = await db(service.agent_says, session_id, self.agent, text, macro)
        await self.send_json({"type": "ack", "id": str(content.get("id", ""))[:64],
                              "seq": line.seq, "session": session_id})  # fmt: skip

    async def on_typing(self, content: dict[str, Any]) -> None:
        session_id = _session_id(content)
        if self.may_type.get(session_id, 0.0) < time.monotonic():
            self.may_type.pop(session_id, None)
            await db(service.writable, session_id, self.agent)
            self.may_type[session_id] = time.monotonic() + self.TYPING_RECHECK
        await self.to_session(
            session_id, "chat.typing", {"type": "typing", "from": "agent", "session": session_id}
        )

    async def on_transfer(self, content: dict[str, Any]) -> None:
        session = await db(
            _transfer,
            _session_id(content),
            self.agent,
            content.get("agent"),
            content.get("team"),
        )
        await self.channel_layer.group_discard(session_group(session.pk), self.channel_name)
        if session.agent_id:
            await self.channel_layer.group_send(
                agent_group(session.agent_id),
                {"type": "chat.state", "payload": {"type": "transferred", "session": session.pk}},
            )
        await self.queue_changed()

    async def on_end(self, content: dict[str, Any]) -> None:
        session_id = _session_id(content)
        session = await db(_end_by_agent, session_id, self.agent)
        await self.to_session(session.pk, "chat.state", {"type": "ended", "session": session.pk})


def _agent_of(user: Any) -> Any:
    if user is None or isinstance(user, AnonymousUser):
        return None
    return viewer_for(user).agent


def _active_sessions(agent: Any) -> list[int]:
    return list(
        ChatSession.objects.filter(agent=agent, state="active").values_list("pk", flat=True)
    )


def _transfer(session_id: int, agent: Any, agent_code: Any, team_code: Any) -> Any:
    from kefu.accounts.models import Agent, Team

    to_agent = Agent.objects.filter(code=str(agent_code)).first() if agent_code else None
    to_team = Team.objects.filter(code=str(team_code)).first() if team_code else None
    return service.transfer(session_id, agent, to_agent=to_agent, to_team=to_team)


def _end_by_agent(session_id: int, agent: Any) -> Any:
    session = service.writable(session_id, agent)
    return service.end(session, viewer_for(agent.user))
