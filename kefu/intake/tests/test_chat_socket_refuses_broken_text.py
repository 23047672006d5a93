"""The chat sockets refuse NUL and lone surrogates like every other way in: an error frame
naming the field, never a failure inside the database (PostgreSQL refuses NUL in text)."""

import asyncio

import pytest

from kefu.intake.chat.consumers import VisitorConsumer
from kefu.intake.models import ChatSession
from kefu.intake.tests.test_chat_flow import _socket, _until
from kefu.tickets.models import Message


async def _talk() -> list[dict]:
    visitor = _socket(VisitorConsumer, "/ws/chat/")
    assert (await visitor.connect())[0]
    await visitor.send_json_to({"type": "hello", "email": "nul@buyer.test", "name": "N\x00ul"})
    refused_hello = await _until(visitor, "error")
    await visitor.send_json_to({"type": "hello", "email": "nul@buyer.test", "name": "Nul"})
    await _until(visitor, "session")
    await visitor.send_json_to({"type": "message", "id": "m1", "text": "订单\x00PO-1"})
    refused_text = await _until(visitor, "error")
    await visitor.disconnect()
    return [refused_hello, refused_text]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_nul_in_a_chat_frame_is_refused_with_the_field_named():
    hello, text = asyncio.run(_talk())
    assert hello["detail"][0]["loc"][-1] == "name"
    assert text["detail"][0]["loc"][-1] == "text"
    assert "NUL" in text["detail"][0]["msg"]
    assert ChatSession.objects.count() == 1
    assert not Message.objects.exists()
