"""With Redis as the channel layer, a visitor on one server process and an agent on another
talk to each other (must-show: several server processes serve one conversation)."""

import asyncio
import json
import os

import pytest
import websockets
from django.conf import settings
from django.test import Client

from kefu.testing import RunningServer, open_chat_around_the_clock, server_env

REDIS_URL = os.environ.get("KEFU_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


FRAME_WAIT = 30  # s: a bound for a stuck socket, generous for a loaded machine


async def _next(socket, kind: str) -> dict:
    while True:
        frame = json.loads(await asyncio.wait_for(socket.recv(), timeout=FRAME_WAIT))
        if frame.get("type") == kind:
            return frame


async def _talk(visitor_url: str, agent_url: str, cookie: str) -> tuple[str, str]:
    async with websockets.connect(visitor_url) as visitor:
        await visitor.send(json.dumps({"type": "hello", "email": "far@away.test", "lang": "en"}))
        await _next(visitor, "session")
        await visitor.send(json.dumps({"type": "message", "id": "v1", "text": "人工客服"}))
        queued = await _next(visitor, "session")
        while queued["state"] != "queued":
            queued = await _next(visitor, "session")
        headers = {
            "Cookie": cookie,
            "Origin": agent_url.replace("ws://", "http://").rsplit("/ws/", 1)[0],
        }
        async with websockets.connect(agent_url, additional_headers=headers) as agent:
            await _next(agent, "queue_changed")
            from kefu.intake.models import ChatSession

            chat = await ChatSession.objects.aget(state="queued")
            await agent.send(json.dumps({"type": "accept", "session": chat.pk}))
            await _next(agent, "opened")
            await agent.send(
                json.dumps(
                    {"type": "message", "session": chat.pk, "id": "a1", "text": "from process B"}
                )
            )
            heard_by_visitor = await _next(visitor, "message")
            while heard_by_visitor["author"] != "agent":
                heard_by_visitor = await _next(visitor, "message")
            await visitor.send(
                json.dumps({"type": "message", "id": "v2", "text": "from process A"})
            )
            heard_by_agent = await _next(agent, "message")
            while heard_by_agent.get("author") != "visitor":
                heard_by_agent = await _next(agent, "message")
            return heard_by_visitor["text"], heard_by_agent["text"]


@pytest.mark.skipif(not _redis_answers(), reason=f"Redis does not answer at {REDIS_URL}")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_server_processes_share_one_conversation(personas, tmp_path):
    open_chat_around_the_clock()  # people take chats (outside the hours only the bot answers)
    client = Client()
    client.force_login(personas.lena)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    env = server_env(tmp_path, KEFU_REDIS_URL=REDIS_URL)
    with RunningServer(env) as first, RunningServer(env) as second:
        visitor_url = first.url.replace("http://", "ws://") + "/ws/chat/"
        agent_url = second.url.replace("http://", "ws://") + "/ws/desk/"
        to_visitor, to_agent = asyncio.run(_talk(visitor_url, agent_url, cookie))
    assert (to_visitor, to_agent) == ("from process B", "from process A")
