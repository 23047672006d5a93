"""A server process runs one request's handler at a time, first come first served (``kefu.asgi``):
on a CPU-bound process handlers side by side only take turns at the GIL. A handler that has
waited ``TURN_WAIT`` goes ahead anyway, and a response is sent after the turn, so a client that
stops reading a download holds one pool thread and never the process."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from django.db import connection

from kefu import asgi


def _scope(path: str) -> dict[str, Any]:
    return {"type": "http", "http_version": "1.1", "method": "GET", "path": path,
            "raw_path": path.encode(), "query_string": b"", "root_path": "", "scheme": "http",
            "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80)}  # fmt: skip


async def _no_body() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


@pytest.mark.django_db
def test_a_client_that_stops_reading_a_download_does_not_hold_up_the_next_request(monkeypatch):
    monkeypatch.setattr(asgi, "TURN_WAIT", 60)  # only the turn's end lets the next one in

    async def run() -> tuple[int, Any]:
        stalled, never = asyncio.Event(), asyncio.Event()

        async def stalling_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.body":
                stalled.set()
                await never.wait()  # the client reads no further

        download = asyncio.create_task(
            asgi.application(_scope("/static/kefu/app.css"), _no_body, stalling_send)
        )
        await asyncio.wait_for(stalled.wait(), 10)
        answered: list[dict[str, Any]] = []

        async def send(message: dict[str, Any]) -> None:
            answered.append(message)

        await asyncio.wait_for(asgi.application(_scope("/healthz"), _no_body, send), 10)
        download.cancel()
        never.set()
        return answered[0]["status"], json.loads(answered[1]["body"])

    assert asyncio.run(run()) == (200, {"status": "ok", "database": connection.vendor})


def test_a_handler_waits_for_the_turn_and_goes_ahead_after_turn_wait(monkeypatch):
    monkeypatch.setattr(asgi, "TURN_WAIT", 0.2)

    async def run() -> tuple[bool, bool]:
        first = await asgi._take_turn()
        waiting = asyncio.create_task(asgi._take_turn())
        await asyncio.sleep(0.05)
        queued = not waiting.done()  # the second waits while the first holds the turn
        assert first is not None
        first.release()
        second = await waiting
        assert second is not None  # and gets it once the first is done
        third = await asgi._take_turn()  # the second never gives it back
        return queued, third is None

    assert asyncio.run(run()) == (True, True)  # the third went ahead without a turn
