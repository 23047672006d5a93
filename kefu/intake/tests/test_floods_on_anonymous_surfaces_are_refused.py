"""Floods on what anyone may reach without signing in are refused after their limit, with a
clear message in the caller's language: 429 with ``Retry-After`` over HTTP, an error frame on the
chat socket (security review, issue #17: 50 tickets in 1.7 s, 100 chat sessions in 0.3 s)."""

import asyncio

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client

from kefu.intake.chat.consumers import VisitorConsumer
from kefu.intake.models import ChatSession
from kefu.tickets.models import Ticket
from kefu.visitors.models import ContactRequest

TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _leave(client: Client, n: int, address: str = "203.0.113.5", email: str = "") -> object:
    form = {"email": email or f"guest{n}@buyer.test", "text": f"Order PO-{n} never arrived."}
    return client.post("/chat/leave/", form, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_fifty_messages_left_in_a_burst_are_refused_after_the_limit(personas):
    client = Client(headers={"Accept-Language": "zh-hans"})
    responses = [_leave(client, n) for n in range(50)]
    statuses = [r.status_code for r in responses]
    assert statuses == [202] * 10 + [429] * 40
    refused = responses[-1]
    assert 0 < int(refused["Retry-After"]) <= 3600
    body = refused.json()
    assert body["code"] == "rate_limited" and body["retry_after"] == int(refused["Retry-After"])
    assert "请求过于频繁" in body["detail"]
    assert ContactRequest.objects.count() == 10 and not Ticket.objects.exists()
    english = _leave(Client(headers={"Accept-Language": "en"}), 99).json()["detail"]
    assert english.startswith("Too many requests.")


@pytest.mark.django_db
def test_one_claimed_email_from_many_addresses_is_limited_too(personas):
    statuses = [_leave(Client(), n, f"203.0.113.{n}", "anna@acme.test").status_code
                for n in range(8)]  # fmt: skip
    assert statuses == [202] * 5 + [429] * 3
    refused = _leave(Client(), 9, "203.0.113.99", "anna@acme.test").json()
    assert refused["detail"][0]["field"] == "email"


def _visitor(address: str) -> WebsocketCommunicator:
    socket = WebsocketCommunicator(VisitorConsumer.as_asgi(), "/ws/chat/")
    socket.scope["user"] = None
    socket.scope["client"] = (address, 40000)
    return socket


async def _hello(address: str, n: int) -> dict:
    socket = _visitor(address)
    await socket.connect()
    await socket.send_json_to({"type": "hello", "email": f"v{n}@buyer.test", "lang": "zh"})
    frame = await socket.receive_json_from(timeout=5)
    await socket.disconnect()
    return frame


@TRANSACTIONAL
def test_a_hundred_chat_sessions_from_one_address_are_refused_after_the_limit(personas):
    async def burst() -> list[dict]:
        return [await _hello("198.51.100.20", n) for n in range(100)]

    frames = asyncio.run(burst())
    assert [f["type"] for f in frames] == ["session"] * 20 + ["error"] * 80
    assert frames[-1]["code"] == "rate_limited" and frames[-1]["retry_after"] > 0
    assert "请求过于频繁" in frames[-1]["detail"]
    assert ChatSession.objects.count() == 20
    assert asyncio.run(_hello("198.51.100.21", 0))["type"] == "session", "others still chat"


@TRANSACTIONAL
def test_chat_messages_are_limited_per_claimed_email(personas, settings):
    settings.KEFU_RATE_LIMITS = {**settings.KEFU_RATE_LIMITS, "chat_message.email": "3/60"}

    async def chat() -> list[dict]:
        socket = _visitor("198.51.100.30")
        await socket.connect()
        await socket.send_json_to({"type": "hello", "email": "anna@acme.test", "lang": "en"})
        await socket.receive_json_from(timeout=5)
        answers = []
        for n in range(5):
            await socket.send_json_to({"type": "message", "id": f"m{n}", "text": f"PO-{n} late?"})
            frame = await socket.receive_json_from(timeout=10)
            while frame["type"] not in ("ack", "error"):
                frame = await socket.receive_json_from(timeout=10)
            answers.append(frame)
        await socket.disconnect()
        return answers

    answers = asyncio.run(chat())
    assert [a["type"] for a in answers] == ["ack"] * 3 + ["error"] * 2
    assert answers[-1]["code"] == "rate_limited" and answers[-1]["ref"] == "m4"
    assert answers[-1]["detail"][0]["field"] == "email"
