"""A body over the limits is answered 413 with the size and the limit, in the caller's language,
before anything reads it: 25 MB for forms and JSON (Django's in-memory limit), 110 MB for
multipart uploads (ten 10 MB attachments and their form). The server itself stops reading a
body past 110 MB instead of spooling all of it to disk first."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from asgiref.testing import ApplicationCommunicator

MB = 1024 * 1024


@pytest.mark.django_db
def test_a_json_body_over_25_mb_is_413_in_the_callers_language(client):
    response = client.post(
        "/api/v1/tickets", b"{}", content_type="application/json", CONTENT_LENGTH=str(30 * MB),
        headers={"Accept-Language": "zh-CN"},
    )  # fmt: skip
    assert response.status_code == 413
    assert response.json() == {
        "detail": "请求大小为 30.0 MB；此处最多接受 25 MB。",
        "code": "too_large",
    }


@pytest.mark.django_db
def test_uploads_are_refused_past_110_mb(client):
    multipart = "multipart/form-data; boundary=x"
    too_big = client.post("/api/v1/tickets/KF1/attachments", b"--x--\r\n", content_type=multipart,
                          CONTENT_LENGTH=str(111 * MB))  # fmt: skip
    assert too_big.status_code == 413
    assert too_big.json()["detail"] == "The request is 111.0 MB; at most 110 MB are accepted here."


@pytest.mark.django_db
def test_a_person_posting_a_form_gets_a_page(client):
    response = client.post(
        "/login/", b"", content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(26 * MB), headers={"Accept": "text/html"},
    )  # fmt: skip
    assert response.status_code == 413
    assert "at most 25 MB are accepted here" in response.content.decode()


def _asgi(path: str, query: bytes, headers: list[tuple[bytes, bytes]], chunks: int) -> Any:
    """One request through the real ASGI application; the body is ``chunks`` MB sent in 1 MB
    messages. Returns the status, the JSON body, and how many messages the server read."""
    from kefu.asgi import application

    async def run() -> tuple[int, Any, int]:
        scope = {"type": "http", "http_version": "1.1", "method": "POST", "path": path,
                 "raw_path": path.encode(), "query_string": query, "root_path": "",
                 "scheme": "http", "headers": [(b"host", b"127.0.0.1"), *headers],
                 "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}  # fmt: skip
        communicator = ApplicationCommunicator(application, scope)
        block = b"x" * MB
        for i in range(chunks):
            await communicator.send_input(
                {"type": "http.request", "body": block, "more_body": i < chunks - 1}
            )
        start = await communicator.receive_output(timeout=30)
        body = await communicator.receive_output(timeout=30)
        unread = communicator.input_queue.qsize()
        await communicator.wait(timeout=5)
        return start["status"], json.loads(body["body"]), chunks - unread

    return asyncio.run(run())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_server_stops_reading_a_body_past_110_mb():
    status, body, read = _asgi(
        "/api/v1/tickets", b"", [(b"content-type", b"application/json")], 130
    )
    assert (status, body["code"]) == (413, "too_large")
    assert read == 111  # the chunk that went past the limit, and no more


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_raw_bytes_in_a_query_reach_the_guard_not_a_crash():
    """uvicorn's default parser refuses them itself; its h11 one passes them on, and asgiref
    used to fail decoding them as ASCII (a 500)."""
    status, body, _read = _asgi("/api/v1/kb/search", "q=退".encode()[:-1], [], 1)
    assert (status, body["detail"][0]["type"]) == (422, "invalid_utf8")
