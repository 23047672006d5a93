"""Chat benchmark: many concurrent WebSocket visitors on one server, message round-trip times.

Seeds N chats already with an agent (the bot is measured by bench/kb.py), starts `kefu serve`,
connects N visitor sockets at once, and has each send messages at a steady pace. A message's
round trip is the time from sending it to receiving it back from the chat's group — it has then
been through the intake pipeline, stored on the ticket, and broadcast to the chat's members.

    .venv/bin/python bench/chat.py                     # 1,000 clients, a message each 30 s, SQLite
    .venv/bin/python bench/chat.py --db postgres --pace 8   # busier: past one process's capacity
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, Python puts bench/ first on the path, where email.py would shadow the
# standard library's email package: the repository root takes its place.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import time
from collections import Counter

from bench.api import ROOT, kefu, rss_mib, server
from bench.common import database, percentile

SEED = """
import os, secrets
import django
django.setup()
from kefu.accounts.access import SYSTEM
from kefu.accounts.actions import create_agent, create_contact
from kefu.accounts.models import Team
from kefu.intake.models import ChatSession
from kefu.tickets import actions

agent = create_agent(email="bench.agent@kefu.test", code="B0001", password="x-bench-x",
                     teams=[Team.objects.get(code="orders")])
agent.max_chats = 30000  # a small integer column
agent.save()
tokens = []
for i in range(int(os.environ["BENCH_CLIENTS"])):
    visitor = create_contact(email=f"visitor{i}@bench.test")
    ticket = actions.create_ticket(actor=SYSTEM, requester=visitor, organization=None,
                                   subject="chat", body="hello", channel="chat")
    token = secrets.token_urlsafe(24)
    ChatSession.objects.create(token=token, ticket=ticket, visitor_email=visitor.email,
                               state="active", agent=agent)
    tokens.append(token)
print(" ".join(tokens))
"""


async def visitor(
    url: str, token: str, messages: int, pace: float, out: list[float], everyone: Barrier
) -> int:
    import websockets

    failures = 0
    try:
        socket = await websockets.connect(url, max_queue=None, open_timeout=120)
        await socket.send(json.dumps({"type": "hello", "token": token}))
        while json.loads(await asyncio.wait_for(socket.recv(), timeout=120))["type"] != "session":
            pass
    finally:
        await everyone.wait()  # the connection storm is over: measure the conversation
    async with socket:
        await asyncio.sleep(random.uniform(0, pace))  # spread the first messages
        for n in range(messages):
            client_id = f"{token[:8]}-{n}"
            started = time.perf_counter()
            await socket.send(json.dumps({"type": "message", "id": client_id, "text": f"msg {n}"}))
            while True:
                frame = json.loads(await asyncio.wait_for(socket.recv(), timeout=60))
                if frame.get("type") == "error":
                    failures += 1
                    break
                if frame.get("type") == "message" and frame.get("client_id") == client_id:
                    out.append((time.perf_counter() - started) * 1000)
                    break
            await asyncio.sleep(pace)
    return failures


class Barrier:
    """Set once ``parties`` have arrived; remembers when."""

    def __init__(self, parties: int) -> None:
        self.left, self.event, self.at = parties, asyncio.Event(), 0.0

    async def wait(self) -> None:
        self.left -= 1
        if self.left == 0:
            self.at = time.perf_counter()
            self.event.set()
        await self.event.wait()


async def drive(url: str, tokens: list[str], messages: int, pace: float) -> tuple:
    latencies: list[float] = []
    everyone = Barrier(len(tokens))
    began = time.perf_counter()
    failures = await asyncio.gather(
        *(visitor(url, token, messages, pace, latencies, everyone) for token in tokens),
        return_exceptions=True,
    )
    connected = (everyone.at or time.perf_counter()) - began
    elapsed = time.perf_counter() - (everyone.at or began)
    errors = sum(f if isinstance(f, int) else 1 for f in failures)
    kinds = Counter(repr(f)[:120] for f in failures if isinstance(f, BaseException))
    for kind, count in kinds.most_common(5):
        print(f"  {count} clients failed: {kind}", file=sys.stderr)
    return latencies, elapsed, errors, connected


def raise_file_limit() -> None:
    """A thousand sockets on each side need more than the usual 1,024 descriptors."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def main() -> None:
    raise_file_limit()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=5, help="per client")
    parser.add_argument(
        "--pace",
        type=float,
        default=30.0,
        # A live-chat visitor reads and types between messages: one every 30 s is a brisk chat
        # (1,000 visitors → ~33 msg/s). Lower it to find the server's saturation point.
        help="seconds between a client's messages",
    )
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    with database(args.db, args.pg_url, "kefu_bench_chat") as env:
        kefu(env, "migrate", "-v0")
        seeded = subprocess.run(
            [sys.executable, "-c", SEED], env={**env, "BENCH_CLIENTS": str(args.clients)},
            cwd=ROOT, check=True, capture_output=True, text=True,
        )  # fmt: skip
        tokens = seeded.stdout.split()
        if args.workers > 1:  # the processes share the chat groups through Redis
            env["KEFU_REDIS_URL"] = args.redis_url
        with server(env, args.workers) as (url, pids):
            idle = rss_mib(pids)
            ws_url = url.replace("http://", "ws://") + "/ws/chat/"
            latencies, elapsed, errors, connected = asyncio.run(
                drive(ws_url, tokens, args.messages, args.pace)
            )
            loaded = rss_mib(pids)
    print(f"\nKefu chat benchmark — {args.db}, {os.cpu_count()} CPUs, {args.workers} server "
          f"process(es); "
          f"{len(tokens)} clients connected in {connected:.1f} s, then each sent "
          f"{args.messages} messages {args.pace:g} s apart")  # fmt: skip
    print("| clients | messages | msg/s | p50 ms | p95 ms | p99 ms | max ms | errors | "
          "server MiB idle → loaded |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {len(tokens)} | {len(latencies)} | {len(latencies) / elapsed:,.0f} | "
        f"{statistics.median(latencies):.1f} | {percentile(latencies, 0.95):.1f} | "
        f"{percentile(latencies, 0.99):.1f} | {max(latencies):.1f} | {errors} | "
        f"{idle:.0f} → {loaded:.0f} |"
    )


if __name__ == "__main__":
    main()
