"""A chat from the visitor's first question to the rating, over real WebSockets (in process)."""

import asyncio

import pytest
from channels.testing import WebsocketCommunicator

from kefu.intake.chat.consumers import AgentConsumer, VisitorConsumer
from kefu.intake.models import ChatSession
from kefu.testing import open_chat_around_the_clock
from kefu.tickets.models import Message, Ticket


async def _until(communicator, kind: str, timeout: float = 5.0) -> dict:
    """The next frame of ``kind``, skipping others."""
    while True:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame.get("type") == kind:
            return frame


def _socket(consumer, path: str, user=None) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(consumer.as_asgi(), path)
    communicator.scope["user"] = user
    return communicator


async def _conversation(personas) -> int:
    visitor = _socket(VisitorConsumer, "/ws/chat/")
    assert (await visitor.connect())[0]
    await visitor.send_json_to({"type": "hello", "email": "guest@buyer.test", "name": "Guest",
                                "order": "PO-778", "lang": "en"})  # fmt: skip
    session = await _until(visitor, "session")
    assert session["state"] == "bot"

    await visitor.send_json_to(
        {"type": "message", "id": "c1", "text": "How do I create a sub-account for my purchaser?"}
    )
    assert (await _until(visitor, "ack"))["id"] == "c1"
    answer = await _until(visitor, "message")
    while answer["author"] != "bot":
        answer = await _until(visitor, "message")
    assert answer["articles"], "the bot offers articles"

    await visitor.send_json_to({"type": "message", "id": "c2", "text": "人工客服"})
    queued = await _until(visitor, "session")
    while queued["state"] != "queued":
        queued = await _until(visitor, "session")
    assert queued["position"] == 1

    agent = _socket(AgentConsumer, "/ws/desk/", personas.lena)
    assert (await agent.connect())[0]
    chat_id = (await ChatSession.objects.aget(token=session["token"])).pk
    await agent.send_json_to({"type": "accept", "session": chat_id})
    assert (await _until(agent, "opened"))["session"] == chat_id
    assert (await _until(visitor, "accepted"))["agent"] == "L0001"

    await agent.send_json_to(
        {"type": "message", "session": chat_id, "id": "a1", "text": "Hi, I can help."}
    )
    line = await _until(visitor, "message")
    assert (line["author"], line["text"], line["agent"]) == ("agent", "Hi, I can help.", "L0001")

    await visitor.send_json_to({"type": "message", "id": "c3", "text": "Thanks! It works now."})
    relayed = await _until(agent, "message")
    while relayed.get("author") != "visitor":
        relayed = await _until(agent, "message")
    assert relayed["text"] == "Thanks! It works now."

    # A reconnecting widget resends an unacknowledged message: it is stored once.
    await visitor.send_json_to({"type": "message", "id": "c3", "text": "Thanks! It works now."})
    assert (await _until(visitor, "ack"))["id"] == "c3"

    await agent.send_json_to({"type": "end", "session": chat_id})
    await _until(visitor, "ended")
    await visitor.send_json_to({"type": "rate", "rating": "satisfied", "comment": "fast"})
    await _until(visitor, "rated")
    await visitor.disconnect()
    await agent.disconnect()
    return chat_id


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bot_then_person_then_rating_all_on_one_ticket(personas):
    open_chat_around_the_clock()  # people take chats (outside the hours only the bot answers)
    chat_id = asyncio.run(_conversation(personas))
    chat = ChatSession.objects.select_related("ticket").get(pk=chat_id)
    ticket = chat.ticket
    assert (chat.state, chat.rating, chat.handoff_reason) == ("ended", "satisfied", "requested")
    assert (ticket.channel, ticket.order_id, ticket.assignee.code) == ("chat", "PO-778", "L0001")
    transcript = list(ticket.messages.values_list("author_role", "body"))
    assert transcript[0] == ("customer", "How do I create a sub-account for my purchaser?")
    assert ("agent", "Hi, I can help.") in transcript
    assert [body for _, body in transcript].count("Thanks! It works now.") == 1
    assert any(role == "bot" for role, _ in transcript)
    assert ticket.events.filter(kind="rated", new="satisfied").exists()
    assert ticket.events.filter(kind="chat_handoff").exists()
    assert Ticket.objects.count() == 1 and Message.objects.filter(ticket=ticket).count() >= 5
