"""`kefu serve` on SIGTERM (a deploy, a node drained by its orchestrator): it stops taking new
connections, finishes the requests in flight, then stops its worker threads through their own
exit path (so nothing is left holding a lease) and exits 0."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time

import pytest

from kefu.testing import free_port, server_env


def _wait_up(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(
                    b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                )
                if sock.recv(64).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            time.sleep(0.1)
    raise AssertionError("kefu serve did not come up")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sigterm_finishes_the_request_in_flight_and_stops_the_worker(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kefu.cli", "serve", "--port", str(port)],  # with its worker
        env=server_env(tmp_path, KEFU_LOG_LEVEL="WARNING"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        _wait_up(port, server)
        in_flight = socket.create_connection(("127.0.0.1", port), timeout=10)
        # Half a request: the server holds it, waiting for the rest of its body.
        in_flight.sendall(
            b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n01234"
        )
        _wait_up(port, server)  # a later request answered: the first one is being read
        server.send_signal(signal.SIGTERM)
        in_flight.sendall(b"56789")
        answer = in_flight.recv(4096)
        in_flight.close()
        out, _err = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert answer.startswith(b"HTTP/1.1 200")  # answered, not dropped
    assert server.returncode == 0
    assert b"Kefu stopped" in out  # the worker threads were told to stop and joined
