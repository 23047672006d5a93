"""Open-loop load: operations that arrive on a schedule whatever the server answers, bounded
in flight, each timed from its scheduled start (a slow answer cannot hide the queueing it causes,
the "coordinated omission" of closed loops); closed loops beside them to measure capacity.

Used by bench/mixed.py; HTTP through bench/api.py's minimal keep-alive client.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field

from bench.api import Connection, rss_mib

TIMEOUT = 30.0  # seconds before an answer counts as an error
IDLE_CLOSE = 3.0  # uvicorn closes keep-alive connections idle for 5 s: drop ours sooner
Action = Callable[["Operation", float], Awaitable[None]]


@dataclass
class Operation:
    """What one kind of operation did: latencies of the answers it expected, errors by kind."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    shed: int = 0
    in_flight: int = 0
    peak: int = 0
    began: float = field(default_factory=time.perf_counter)
    ended: float = 0.0

    def ok(self, scheduled: float) -> None:
        self.ended = time.perf_counter()
        self.latencies.append((self.ended - scheduled) * 1000)

    def failed(self, why: str) -> None:
        self.errors[why[:80]] += 1

    @property
    def error_count(self) -> int:
        return sum(self.errors.values()) + self.shed


class Pool:
    """Keep-alive connections to the server, reused while fresh; one request per connection at
    a time, as many connections as requests in flight."""

    def __init__(self, url: str) -> None:
        self.url, self.idle = url, list[tuple[float, Connection]]()

    def close(self) -> None:
        for _, connection in self.idle:
            connection.writer.close()
        self.idle.clear()

    async def call(
        self, method: str, path: str, token: str, body: bytes = b""
    ) -> tuple[int, bytes]:
        connection = None
        while self.idle:
            used, candidate = self.idle.pop()
            if time.monotonic() - used < IDLE_CLOSE and not candidate.reader.at_eof():
                connection = candidate
                break
            candidate.writer.close()
        if connection is None:
            connection = await Connection.open(self.url)
        try:
            answer = await asyncio.wait_for(connection.exchange(method, path, token, body), TIMEOUT)
        except BaseException:
            connection.writer.close()
            raise
        self.idle.append((time.monotonic(), connection))
        return answer


class Driver:
    """Operations by name, and the tasks running them."""

    def __init__(self) -> None:
        self.ops: dict[str, Operation] = {}
        self.tasks: set[asyncio.Task[None]] = set()

    def op(self, name: str) -> Operation:
        return self.ops.setdefault(name, Operation(name))

    def spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _run_one(self, op: Operation, action: Action, scheduled: float) -> None:
        op.in_flight += 1
        op.peak = max(op.peak, op.in_flight)
        try:
            await action(op, scheduled)
        except Exception as error:  # a broken connection, a timeout: an error, not the end
            op.failed(f"{type(error).__name__} {error}")
        finally:
            op.in_flight -= 1
            op.ended = time.perf_counter()

    async def arrivals(
        self,
        name: str,
        action: Action,
        rate: float,
        until: float,
        bound: int,
    ) -> None:
        """Poisson arrivals at ``rate`` per second until ``until`` (perf_counter), each started
        at its time whatever the others are doing; over ``bound`` open ones, shed."""
        op = self.op(name)
        rng = random.Random(name)
        at = op.began = time.perf_counter()
        while True:
            at += rng.expovariate(rate)
            if at >= until:
                return
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            if op.in_flight >= bound:
                op.shed += 1
                continue
            self.spawn(self._run_one(op, action, at))

    async def closed_loop(
        self,
        name: str,
        action: Action,
        concurrency: int,
        seconds: float,
    ) -> float:
        """``action`` back to back on ``concurrency`` clients; successes per second."""
        op = self.op(name)
        op.began = time.perf_counter()
        deadline = op.began + seconds

        async def client() -> None:
            while time.perf_counter() < deadline:
                await self._run_one(op, action, time.perf_counter())

        await asyncio.gather(*(client() for _ in range(concurrency)))
        return len(op.latencies) / (op.ended - op.began)

    async def drain(self) -> None:
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)


async def sample_memory(
    groups: dict[str, list[int]], peaks: dict[str, float], stop: asyncio.Event
) -> None:
    """Each second until ``stop``: the peak RSS of each group of processes, and the machine's
    highest 1-minute load average (``peaks["load average"]``), which others share."""
    while not stop.is_set():
        for name, pids in groups.items():
            peaks[name] = max(peaks.get(name, 0.0), rss_mib(pids))
        peaks["load average"] = max(peaks.get("load average", 0.0), os.getloadavg()[0])
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0)
