"""`kefu serve`: several workers share the port evenly; a second server on a taken port fails."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(tmp_path: Path, port: int, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "KEFU_DATA_DIR": str(tmp_path)}
    env.pop("KEFU_DATABASE_URL", None)
    return subprocess.Popen(
        # The worker is not what these tests are about (and sweeping their unmigrated database
        # would only fill the pipe nobody reads with errors).
        [sys.executable, "-m", "kefu.cli", "serve", "--port", str(port), "--no-worker", *args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _wait_healthy(port: int) -> None:
    for _ in range(150):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError("the server did not come up")


def _workers(pid: int) -> list[int]:
    """The server's worker processes (not multiprocessing's resource tracker)."""
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    children = [int(child) for child in found.stdout.split()]
    return [c for c in children if b"resource_tracker" not in _cmdline(c)]


def _cmdline(pid: int) -> bytes:
    return Path(f"/proc/{pid}/cmdline").read_bytes()


def _established(pid: int, port: int) -> int:
    """Connections to ``port`` that process ``pid`` holds (its sockets, by inode)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd)
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].split(":")[1], 16)
        if local_port == port and fields[3] == "01" and fields[9] in inodes:  # 01: established
            count += 1
    return count


def test_workers_share_the_port_evenly_and_stop_with_the_server(tmp_path):
    port = _free_port()
    server = _serve(tmp_path, port, "--workers", "2")
    try:
        _wait_healthy(port)
        workers = _workers(server.pid)
        assert len(workers) == 2
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(32)]
        # Wait until the workers' event loops have accepted them all (slower on a busy machine).
        deadline = time.monotonic() + 20
        while True:
            held = [_established(worker, port) for worker in workers]
            if sum(held) == 32 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert sum(held) == 32
        # One shared socket let one worker take every connection; each now holds some.
        assert min(held) > 0, held
        for client in clients:
            client.close()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(15)
    assert all(not Path(f"/proc/{worker}").exists() for worker in workers)


def test_a_second_server_on_a_taken_port_fails_clearly(tmp_path):
    port = _free_port()
    first = _serve(tmp_path, port)
    try:
        _wait_healthy(port)
        second = _serve(tmp_path, port)
        _, errors = second.communicate(timeout=60)
        assert second.returncode != 0
        assert f"cannot listen on 127.0.0.1:{port}" in errors
    finally:
        first.terminate()
        first.wait(15)
