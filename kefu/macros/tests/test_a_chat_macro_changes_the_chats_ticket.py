"""A macro in the chat console: the line reaches the visitor and the macro's changes land on the
chat's ticket, over real WebSockets (in process); another team's macro is not found."""

import asyncio

import pytest
from channels.testing import WebsocketCommunicator

from kefu.intake.chat.consumers import AgentConsumer, VisitorConsumer
from kefu.intake.models import ChatSession
from kefu.macros.models import Macro, Scope
from kefu.testing import open_chat_around_the_clock
from kefu.tickets.models import Status


async def _until(communicator, kind: str, timeout: float = 5.0) -> dict:
    while True:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame.get("type") == kind:
            return frame


def _socket(consumer, path: str, user=None) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(consumer.as_asgi(), path)
    communicator.scope["user"] = user
    return communicator


async def _chat(personas, macro_id: int, other_macro_id: int) -> tuple[int, dict]:
    visitor = _socket(VisitorConsumer, "/ws/chat/")
    assert (await visitor.connect())[0]
    await visitor.send_json_to({"type": "hello", "email": "guest@buyer.test", "name": "Guest",
                                "order": "PO-9", "lang": "en"})  # fmt: skip
    session = await _until(visitor, "session")
    await visitor.send_json_to({"type": "message", "id": "c1", "text": "人工客服"})
    while (await _until(visitor, "session"))["state"] != "queued":
        pass
    agent = _socket(AgentConsumer, "/ws/desk/", personas.lena)
    assert (await agent.connect())[0]
    chat_id = (await ChatSession.objects.aget(token=session["token"])).pk
    await agent.send_json_to({"type": "accept", "session": chat_id})
    await _until(agent, "opened")
    await agent.send_json_to({"type": "message", "session": chat_id, "id": "x",
                              "text": "Not mine", "macro": other_macro_id})  # fmt: skip
    refused = await _until(agent, "error")
    await agent.send_json_to({"type": "message", "session": chat_id, "id": "a1",
                              "text": "Hello Guest, order PO-9.", "macro": macro_id})  # fmt: skip
    assert (await _until(agent, "ack"))["id"] == "a1"
    line = await _until(visitor, "message")
    while line.get("author") != "agent":
        line = await _until(visitor, "message")
    assert line["text"] == "Hello Guest, order PO-9."
    await visitor.disconnect()
    await agent.disconnect()
    return chat_id, refused


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_macro_sent_in_a_chat_sets_the_tickets_status_and_tags(personas):
    open_chat_around_the_clock()
    macro = Macro.objects.create(
        title_en="Wait", title_zh="等待", scope=Scope.TEAM, team=personas.orders,
        text_en="Hello {{customer.name}}, order {{ticket.order_id}}.",
        set_status=Status.PENDING_CUSTOMER, add_tags=["chat-macro"],
    )  # fmt: skip
    billing_only = Macro.objects.create(title_en="B", title_zh="B", scope=Scope.TEAM,
                                        team=personas.billing, text_en="b")  # fmt: skip
    chat_id, refused = asyncio.run(_chat(personas, macro.pk, billing_only.pk))
    assert refused["code"] == "not_found"
    ticket = ChatSession.objects.get(pk=chat_id).ticket
    assert ticket.status == Status.PENDING_CUSTOMER
    assert "chat-macro" in ticket.tags
    assert not ticket.messages.filter(body="Not mine").exists()
    macro.refresh_from_db()
    billing_only.refresh_from_db()
    assert (macro.usage_count, billing_only.usage_count) == (1, 0)
