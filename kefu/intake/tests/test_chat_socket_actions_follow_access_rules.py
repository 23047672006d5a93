"""Every action on the agents' chat socket checks the console pages' rules: a chat waiting in
another team's queue cannot be accepted, another agent's chat cannot be typed into, answered,
transferred or ended, and QA reads but never takes part. The widget's socket acts only on the
session it said hello to (security review, issue #17)."""

import asyncio

import pytest
from channels.testing import WebsocketCommunicator

from kefu.intake.chat import service
from kefu.intake.chat.consumers import AgentConsumer, VisitorConsumer
from kefu.intake.models import ChatSession

TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _socket(consumer, path: str, user=None) -> WebsocketCommunicator:
    socket = WebsocketCommunicator(consumer.as_asgi(), path)
    socket.scope["user"] = user
    socket.scope["client"] = ("198.51.100.9", 50000)
    return socket


async def _next(socket: WebsocketCommunicator, kind: str) -> dict:
    while True:
        frame = await socket.receive_json_from(timeout=5)
        if frame.get("type") == kind:
            return frame


def _chat(personas, *, team=None, agent=None) -> ChatSession:
    """A visitor's chat with its ticket, queued to ``team`` or active with ``agent``."""
    session = service.open_session(user=None, email="guest@buyer.test", language="en")
    service.visitor_says(session, "c1", "My container CN-778 is stuck at the port.")
    state = ChatSession.State.ACTIVE if agent else ChatSession.State.QUEUED
    ChatSession.objects.filter(pk=session.pk).update(state=state, team=team, agent=agent)
    return ChatSession.objects.select_related("ticket").get(pk=session.pk)


async def _refused(user, frame: dict) -> dict:
    agent = _socket(AgentConsumer, "/ws/desk/", user)
    assert (await agent.connect())[0]
    await agent.send_json_to(frame)
    error = await _next(agent, "error")
    await agent.disconnect()
    return error


@TRANSACTIONAL
def test_a_chat_in_another_teams_queue_cannot_be_accepted(personas):
    chat = _chat(personas, team=personas.billing)
    error = asyncio.run(_refused(personas.alice, {"type": "accept", "session": chat.pk}))
    assert error["code"] == "not_found"
    chat.refresh_from_db()
    assert (chat.state, chat.agent_id, chat.ticket.assignee_id) == ("queued", None, None)


@TRANSACTIONAL
def test_qa_cannot_accept_even_a_chat_it_may_see(personas):
    chat = _chat(personas)
    error = asyncio.run(_refused(personas.quinn, {"type": "accept", "session": chat.pk}))
    assert error["code"] == "forbidden"
    assert ChatSession.objects.get(pk=chat.pk).state == "queued"


@pytest.mark.parametrize("who", ["quinn", "bob"])
@TRANSACTIONAL
def test_typing_into_someone_elses_chat_is_refused_and_never_reaches_the_visitor(personas, who):
    chat = _chat(personas, agent=personas.alice.agent)

    async def scenario() -> dict:
        visitor = _socket(VisitorConsumer, "/ws/chat/")
        await visitor.connect()
        await visitor.send_json_to(
            {"type": "hello", "token": chat.token, "lang": "en", "last_seq": 10**9}
        )
        await _next(visitor, "session")
        error = await _refused(getattr(personas, who), {"type": "typing", "session": chat.pk})
        assert await visitor.receive_nothing(timeout=0.3)
        await visitor.disconnect()
        return error

    expected = "forbidden" if who == "quinn" else "not_found"
    assert asyncio.run(scenario())["code"] == expected


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "message", "text": "I am not your agent."},
        {"type": "transfer", "team": "billing"},
        {"type": "end"},
    ],
    ids=["message", "transfer", "end"],
)
@pytest.mark.parametrize("who", ["quinn", "bob"])
@TRANSACTIONAL
def test_other_agents_and_qa_cannot_write_transfer_or_end_a_chat(personas, frame, who):
    chat = _chat(personas, agent=personas.alice.agent)
    error = asyncio.run(_refused(getattr(personas, who), {**frame, "session": chat.pk}))
    assert error["code"] == ("forbidden" if who == "quinn" else "not_found")
    chat.refresh_from_db()
    assert (chat.state, chat.agent_id) == ("active", personas.alice.agent.pk)
    assert not chat.ticket.messages.filter(author__agent__isnull=False).exists()


@TRANSACTIONAL
def test_the_owner_may_still_type_and_answer(personas):
    chat = _chat(personas, agent=personas.alice.agent)

    async def scenario() -> None:
        visitor = _socket(VisitorConsumer, "/ws/chat/")
        await visitor.connect()
        await visitor.send_json_to(
            {"type": "hello", "token": chat.token, "lang": "en", "last_seq": 10**9}
        )
        await _next(visitor, "session")
        agent = _socket(AgentConsumer, "/ws/desk/", personas.alice)
        await agent.connect()
        await agent.send_json_to({"type": "typing", "session": chat.pk})
        assert (await _next(visitor, "typing"))["from"] == "agent"
        await agent.send_json_to({"type": "message", "session": chat.pk, "text": "On it."})
        assert (await _next(visitor, "message"))["text"] == "On it."
        await agent.disconnect()
        await visitor.disconnect()

    asyncio.run(scenario())


@TRANSACTIONAL
def test_a_bad_session_number_is_named_in_the_error(personas):
    error = asyncio.run(_refused(personas.alice, {"type": "accept", "session": "x"}))
    assert error["detail"][0]["field"] == "session"


@TRANSACTIONAL
def test_a_widget_socket_hears_only_the_chat_it_holds(personas):
    first = _chat(personas, agent=personas.alice.agent)
    second = _chat(personas, agent=personas.alice.agent)

    async def scenario() -> None:
        visitor = _socket(VisitorConsumer, "/ws/chat/")
        await visitor.connect()
        for chat in (first, second):  # a second hello moves the socket, it does not add
            await visitor.send_json_to(
                {"type": "hello", "token": chat.token, "lang": "en", "last_seq": 10**9}
            )
            await _next(visitor, "session")
        agent = _socket(AgentConsumer, "/ws/desk/", personas.alice)
        await agent.connect()
        await agent.send_json_to({"type": "message", "session": first.pk, "text": "For the first."})
        await agent.send_json_to(
            {"type": "message", "session": second.pk, "text": "For the second."}
        )
        assert (await _next(visitor, "message"))["text"] == "For the second."
        await agent.disconnect()
        await visitor.disconnect()

    asyncio.run(scenario())


@TRANSACTIONAL
def test_a_signed_in_customers_chat_does_not_resume_for_a_token_holder(personas):
    session = service.open_session(user=personas.anna, language="en")
    service.visitor_says(session, "c1", "Where is PO-1?")

    async def scenario() -> dict:
        stranger = _socket(VisitorConsumer, "/ws/chat/")
        await stranger.connect()
        await stranger.send_json_to({"type": "hello", "token": session.token, "last_seq": 0,
                                     "email": "x@evil.test", "lang": "en"})  # fmt: skip
        state = await _next(stranger, "session")
        assert await stranger.receive_nothing(timeout=0.3), "no history replayed"
        await stranger.disconnect()
        return state

    state = asyncio.run(scenario())
    assert state["token"] != session.token and state["ticket"] is None
