"""Collision detection over ``/ws/live/`` (issue #13): agents on the same ticket hear each other
arrive, type and leave; an agent who may not see the ticket, or a customer on the portal page,
hears nothing and can announce nothing."""

from __future__ import annotations

import asyncio

import pytest
from channels.testing import WebsocketCommunicator

from kefu.delivery.consumers import LiveConsumer
from kefu.testing import make_ticket

TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _socket(user) -> WebsocketCommunicator:
    socket = WebsocketCommunicator(LiveConsumer.as_asgi(), "/ws/live/")
    socket.scope["user"] = user
    return socket


async def _next(socket: WebsocketCommunicator, kind: str) -> dict:
    while True:
        frame = await socket.receive_json_from(timeout=5)
        if frame.get("type") == kind:
            return frame


async def _on_ticket(user, number: str) -> tuple[WebsocketCommunicator, dict]:
    socket = _socket(user)
    assert (await socket.connect())[0]
    await socket.send_json_to({"type": "watch", "ticket": number, "presence": True})
    answer = await socket.receive_json_from(timeout=5)
    while answer["type"] == "presence":  # a colleague's hello may come first
        answer = await socket.receive_json_from(timeout=5)
    return socket, answer


@TRANSACTIONAL
def test_two_agents_on_a_ticket_see_each_other_viewing_typing_and_leaving(personas):
    number = make_ticket(personas.anna).number

    async def scenario() -> None:
        alice, answer = await _on_ticket(personas.alice, number)
        assert answer == {"type": "watching", "ticket": number}
        lena, _ = await _on_ticket(personas.lena, number)
        arrived = await _next(alice, "presence")
        assert (arrived["agent"]["code"], arrived["state"], arrived["hello"]) == (
            "L0001", "here", True,
        )  # fmt: skip
        await alice.send_json_to({"type": "presence", "ticket": number, "typing": True})
        typing = await _next(lena, "presence")
        assert (typing["agent"]["name"], typing["typing"]) == ("Alice", True)
        await alice.disconnect()
        left = await _next(lena, "presence")
        assert (left["agent"]["code"], left["state"]) == ("A0001", "left")
        await lena.disconnect()

    asyncio.run(scenario())


@TRANSACTIONAL
def test_an_agent_who_may_not_see_the_ticket_hears_and_announces_nothing(personas):
    number = make_ticket(personas.anna).number  # the orders team's; Bob is in billing

    async def scenario() -> None:
        alice, _ = await _on_ticket(personas.alice, number)
        bob, answer = await _on_ticket(personas.bob, number)
        assert answer["type"] == "error"
        await bob.send_json_to({"type": "presence", "ticket": number, "typing": True})
        assert await alice.receive_nothing(timeout=0.3)
        await alice.send_json_to({"type": "presence", "ticket": number, "typing": True})
        assert await bob.receive_nothing(timeout=0.3)
        await bob.disconnect()
        await alice.disconnect()

    asyncio.run(scenario())


@TRANSACTIONAL
def test_a_customer_watching_their_ticket_neither_hears_agents_nor_announces(personas):
    number = make_ticket(personas.anna).number

    async def scenario() -> None:
        anna, answer = await _on_ticket(personas.anna, number)
        assert answer == {"type": "watching", "ticket": number}  # live updates: yes
        alice, _ = await _on_ticket(personas.alice, number)
        await alice.send_json_to({"type": "presence", "ticket": number, "typing": True})
        assert await anna.receive_nothing(timeout=0.3)
        await anna.send_json_to({"type": "presence", "ticket": number, "typing": True})
        assert await alice.receive_nothing(timeout=0.3)
        await anna.disconnect()
        await alice.disconnect()

    asyncio.run(scenario())
