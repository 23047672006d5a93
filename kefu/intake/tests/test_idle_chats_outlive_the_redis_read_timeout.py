"""A chat socket that hears nothing for longer than the Redis client's read timeout stays open.

The Redis channel layer waits for a socket's next event with a blocking pop of up to 5 seconds;
redis-py 8 gave every connection a 5-second read timeout by default, so an idle socket's wait
raced the client's timeout and, losing, took its consumer down: the widget was disconnected
without a close frame (bench/mixed.py's bot chats, 3 s between lines, lost some this way)."""

import asyncio
import json

import pytest
import websockets

from kefu.intake.tests.test_chat_redis import REDIS_URL, _next, _redis_answers
from kefu.testing import RunningServer, server_env

IDLE_SECONDS = 11  # two of the layer's 5-second waits and more


async def _idle_then_talk(url: str, visitor: int) -> str:
    async with websockets.connect(url) as socket:
        await socket.send(
            json.dumps({"type": "hello", "email": f"idle{visitor}@wait.test", "lang": "en"})
        )
        await _next(socket, "session")
        await asyncio.sleep(IDLE_SECONDS)
        await socket.send(json.dumps({"type": "message", "id": "m1", "text": "still there?"}))
        line = await _next(socket, "message")
        while line.get("client_id") != "m1":
            line = await _next(socket, "message")
        return line["text"]


async def _visitors(url: str, count: int) -> list[str]:
    return await asyncio.gather(*(_idle_then_talk(url, n) for n in range(count)))


@pytest.mark.skipif(not _redis_answers(), reason=f"Redis does not answer at {REDIS_URL}")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_idle_chat_sockets_outlive_the_redis_read_timeout(tmp_path):
    env = server_env(tmp_path, KEFU_REDIS_URL=REDIS_URL)
    with RunningServer(env) as server:
        url = server.url.replace("http://", "ws://") + "/ws/chat/"
        # Four at once: each wait that ends on the client's timeout would have been a coin toss.
        heard = asyncio.run(_visitors(url, 4))
    assert heard == ["still there?"] * 4
