"""ASGI entry point: HTTP through Django's synchronous handler on a fixed thread pool,
WebSockets through Channels.

Django's own ASGI handler hops between the event loop and a worker thread for each middleware
and gives every request a new thread, hence a new database connection. Measured here, that cost
~3 ms per request against ~0.8 ms for one hop into a long-lived pool thread whose database
connection persists. The chat's WebSockets stay fully asynchronous.
"""

import os
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import quote_from_bytes

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")

from asgiref.sync import sync_to_async
from asgiref.wsgi import WsgiToAsgi, WsgiToAsgiInstance
from channels.routing import ProtocolTypeRouter
from django.conf import settings
from django.core.wsgi import get_wsgi_application

# A server process is CPU-bound: threads beyond what overlaps the database's replies and a few
# slow clients' downloads only take turns at the GIL. API creates on 2 cores, 2 processes, 16
# connections (the peer harness's load), one run: 8 threads 45-46/s, 4 threads 48/s, 2 threads
# 52/s, 1 thread 54/s. Four keep two slow downloads from stalling a process.
HTTP_THREADS = int(os.environ.get("KEFU_HTTP_THREADS", "4"))
_http_pool = ThreadPoolExecutor(max_workers=HTTP_THREADS, thread_name_prefix="kefu-http")


class _PooledRequest(WsgiToAsgiInstance):
    run_wsgi_app = sync_to_async(
        WsgiToAsgiInstance.__dict__["run_wsgi_app"].func,
        thread_sensitive=False,
        executor=_http_pool,
    )


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
