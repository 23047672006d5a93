"""ASGI entry point: HTTP through Django's synchronous handler on a fixed thread pool,
WebSockets through Channels.

Django's own ASGI handler hops between the event loop and a worker thread for each middleware
and gives every request a new thread, hence a new database connection. Measured here, that cost
~3 ms per request against ~0.8 ms for one hop into a long-lived pool thread whose database
connection persists. The chat's WebSockets stay fully asynchronous.
"""

import asyncio
import os
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from tempfile import SpooledTemporaryFile
from typing import IO, Any
from urllib.parse import quote_from_bytes
from weakref import WeakKeyDictionary

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")

from asgiref.sync import AsyncToSync, sync_to_async
from asgiref.wsgi import WsgiToAsgi, WsgiToAsgiInstance
from channels.routing import ProtocolTypeRouter
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http.response import HttpResponseBase

# Threads serve requests so that a slow client's download, or a long export, holds one thread and
# not the process. Django's handlers running side by side gain nothing on a CPU-bound process:
# they take turns at the GIL and each finishes later. So a handler waits for this process's turn
# (first come, first served) and runs alone; one that has waited ``TURN_WAIT`` goes ahead anyway.
# The response is sent after the turn: a whole body from the event loop, a streamed one (a file)
# from a pool thread. API creates on 2 cores, 2 processes, 16 connections (the peer harness's
# load), one run: 4 threads at once 109-110/s, p99 279-292 ms; 1 thread 125/s, p99 231-243 ms;
# 4 threads taking turns 121-123/s, p99 235-247 ms.
HTTP_THREADS = int(os.environ.get("KEFU_HTTP_THREADS", "4"))
TURN_WAIT = 0.5
_http_pool = ThreadPoolExecutor(max_workers=HTTP_THREADS, thread_name_prefix="kefu-http")
_turns: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = WeakKeyDictionary()


async def _take_turn() -> asyncio.Semaphore | None:
    """This process's turn (its loop's, under tests), or None when it did not come in time."""
    turn = _turns.setdefault(asyncio.get_running_loop(), asyncio.Semaphore(1))
    try:
        await asyncio.wait_for(turn.acquire(), TURN_WAIT)
    except TimeoutError:
        return None
    return turn


def _in_pool(function: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    return sync_to_async(function, thread_sensitive=False, executor=_http_pool)


class _PooledRequest(WsgiToAsgiInstance):
    """One request: Django's handler in this process's turn on a pool thread, then the response
    (asgiref's environ and ``start_response``; its body loop, which also held the thread while
    the event loop sent each part, is replaced)."""

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        self.scope = scope
        with SpooledTemporaryFile(max_size=65536) as body:
            while True:
                message = await receive()
                body.write(message.get("body", b""))
                if not message.get("more_body"):
                    break
            body.seek(0)
            turn = await _take_turn()
            try:
                response = await _in_pool(self._handle)(body)
            finally:
                if turn is not None:
                    turn.release()
        if isinstance(response, bytes):
            await send(self.response_start)
            await send({"type": "http.response.body", "body": response})
        else:
            self.sync_send = AsyncToSync(send)  # for the pool thread that streams it
            await _in_pool(self._stream)(response)

    def _handle(self, body: IO[bytes]) -> bytes | HttpResponseBase:
        """Django's answer: the whole body, or the response whose content is still to stream.
        A whole response is closed here, on the thread whose database connection it used."""
        try:
            environ = self.build_environ(self.scope, body)
        except ValueError:  # asgiref's limit on repeated headers
            self.start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return b"Bad Request: Too many duplicate headers"
        response = self.wsgi_application(environ, self.start_response)
        if response.streaming:
            return response
        try:
            return b"".join(response)
        finally:
            response.close()

    def _stream(self, response: HttpResponseBase) -> None:
        try:
            self.sync_send(self.response_start)
            for chunk in response:
                self.sync_send({"type": "http.response.body", "body": chunk, "more_body": True})
            self.sync_send({"type": "http.response.body"})
        finally:
            response.close()


Receive = Callable[[], Awaitable[dict[str, Any]]]
# Bytes a query string may carry as they are; asgiref decodes it as ASCII and would fail (a 500)
# on any other byte, which clients do send unencoded.
_QUERY_SAFE = bytes(range(0x21, 0x7F)).decode()


def _clean_scope(scope: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``scope`` whose query string is ASCII: other bytes percent-encoded, so Django's
    input guard judges them like any encoded byte."""
    query = scope.get("query_string", b"")
    if query.isascii():
        return dict(scope, headers=list(scope.get("headers", [])))
    cleaned = quote_from_bytes(query, safe=_QUERY_SAFE).encode()
    return dict(scope, query_string=cleaned, headers=list(scope.get("headers", [])))


def _declared_length(scope: dict[str, Any]) -> int:
    for name, value in scope["headers"]:
        if name.lower() == b"content-length":
            return int(value) if value.isdigit() else 0
    return 0


def _set_length(scope: dict[str, Any], length: int) -> None:
    headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"content-length"]
    scope["headers"] = [*headers, (b"content-length", str(length).encode())]


def _capped(scope: dict[str, Any], receive: Receive, limit: int) -> Receive:
    """``receive`` that stops reading a body past ``limit``: asgiref would otherwise spool all
    of it to disk before Django sees the request. Django is handed an empty body and the size
    (the declared Content-Length, or as much as had arrived), so the input guard answers 413."""
    done = {"type": "http.request", "body": b"", "more_body": False}
    state = {"read": 0, "stopped": _declared_length(scope) > limit}

    async def capped_receive() -> dict[str, Any]:
        if state["stopped"]:
            return done
        message = await receive()
        state["read"] += len(message.get("body", b""))
        if state["read"] > limit:
            _set_length(scope, state["read"])
            state["stopped"] = True
            return done
        return message

    return capped_receive


class PooledHTTP(WsgiToAsgi):
    """One request = one call of the WSGI handler on a pool thread."""

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        scope = _clean_scope(scope)
        receive = _capped(scope, receive, settings.KEFU_MAX_REQUEST_BYTES)
        await _PooledRequest(self.wsgi_application)(scope, receive, send)


http = PooledHTTP(get_wsgi_application())  # sets Django up before the consumers are imported

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import URLRouter  # noqa: E402

from kefu.delivery.live import note_server_loop  # noqa: E402
from kefu.intake.chat.routing import websocket_urlpatterns  # noqa: E402

router = ProtocolTypeRouter(
    {"http": http, "websocket": AuthMiddlewareStack(URLRouter(websocket_urlpatterns))}
)


async def application(scope, receive, send):  # type: ignore[no-untyped-def]
    """Live pushes from request and worker threads go through the loop serving this process."""
    note_server_loop()
    await router(scope, receive, send)
