"""What a unit of work costs the database and the application: statements, PostgreSQL's CPU and
the app's CPU, for ``bench/api.py`` and ``bench/email.py``.

* **PostgreSQL CPU**: utime + stime of the backend processes serving the bench database, read
  from ``/proc/<pid>/stat`` (the server runs on this machine and we may read its processes),
  before and after the timed phase. Backends that connect during the phase count from zero.
* **App CPU**: the same counters of the server's processes (threads included).
* **Statements**: counted in the application by a connection ``execute_wrapper`` around creates
  made in a bench-side process with the server's settings (warm caches, not the test settings),
  so that nothing in Kefu itself needs a counting hook. ``--profile`` runs the same creates
  under cProfile and prints where the time goes.

    BENCH_TOKENS='kefu_… kefu_…' .venv/bin/python bench/cost.py --count 20 --profile 200

(run by ``bench/api.py`` in the environment it sets up; ``--statements``, ``--profile``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all its threads), 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # fields 14 and 15 of stat(5)


def cpu_of(pids: list[int]) -> dict[int, float]:
    return {pid: cpu_seconds(pid) for pid in pids}


def backend_pids(database_url: str) -> list[int]:
    """The PostgreSQL backends connected to the database of ``database_url`` (not this one)."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(database_url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        ).fetchall()
    return [pid for (pid,) in rows]


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two readings; a process first seen in ``after`` counts whole."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


class CpuMeter:
    """CPU of the app's processes and of PostgreSQL's backends for the bench database."""

    def __init__(self, app_pids: list[int], database_url: str | None) -> None:
        self.app_pids, self.database_url = app_pids, database_url

    def read(self) -> tuple[dict[int, float], dict[int, float]]:
        pg = cpu_of(backend_pids(self.database_url)) if self.database_url else {}
        return cpu_of(self.app_pids), pg

    @staticmethod
    def per_unit(
        before: tuple[dict[int, float], dict[int, float]],
        after: tuple[dict[int, float], dict[int, float]],
        units: int,
    ) -> tuple[float, float]:
        """Milliseconds of app CPU and of PostgreSQL CPU per unit."""
        return (
            spent(before[0], after[0]) * 1000 / max(units, 1),
            spent(before[1], after[1]) * 1000 / max(units, 1),
        )


_LITERALS = re.compile(r"'[^']*'|\b\d+\b|\"s\d+_x\d+\"")


def statement_kind(sql: str) -> str:
    """A statement with its literals blanked, short enough to list."""
    return _LITERALS.sub("?", sql)[:160]


@contextmanager
def counting_statements() -> Iterator[Counter[str]]:
    """Every statement the default connection executes inside, by kind."""
    from django.db import connection

    seen: Counter[str] = Counter()

    trace = re.compile(os.environ["BENCH_TRACE"]) if os.environ.get("BENCH_TRACE") else None

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any):
        seen[statement_kind(sql)] += 1
        if trace and trace.search(sql):  # where a statement comes from, on stderr
            import traceback

            frames = [f for f in traceback.extract_stack() if "/kefu/" in f.filename]
            print(sql[:100], *(f"  {f.filename}:{f.lineno} {f.name}" for f in frames[-6:]),
                  sep="\n", file=sys.stderr)  # fmt: skip
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield seen


CREATE = "/api/v1/tickets"


def _creates(tokens: list[str], count: int, start: int) -> Callable[[], None]:
    """A function that posts the next of ``count`` tickets, as bench/api.py's clients do."""
    from django.test import Client

    from bench.api import MESSAGES, create_request

    client = Client()
    index = iter(range(start, start + count))

    def create() -> None:
        i = next(index)
        _method, path, body = create_request(i)
        token = tokens[(i // len(MESSAGES)) % len(tokens)]
        response = client.post(path, body, content_type="application/json",
                               headers={"authorization": f"Bearer {token}"},
                               SERVER_NAME="127.0.0.1")  # fmt: skip
        assert response.status_code in (200, 201), (response.status_code, response.content[:300])

    return create


def measure_statements(tokens: list[str], count: int, profile: int) -> dict[str, Any]:
    import django

    django.setup()
    from datetime import timedelta

    from kefu.intake import derivation

    # No worker runs beside these creates: their tickets wait for the batch below, as they do
    # for a worker that keeps up, instead of being derived in their callers when "behind".
    derivation.MAX_LAG = timedelta(days=1)
    # Senders bench/api.py's timed creates (tokens 0–199) and warm-up (390–394) did not use, one
    # per phase: a sender's repeated text would join their earlier ticket instead.
    warm = _creates(tokens, 20, 3000)
    for _ in range(20):  # caches filled, as in a server that has been running
        warm()
    _derive_all()
    create = _creates(tokens, count, 3100)
    with counting_statements() as seen:
        for _ in range(count):
            create()
    result: dict[str, Any] = {
        "per_create": sum(seen.values()) / count,
        "kinds": [[n / count, sql] for sql, n in seen.most_common()],
    }
    # The tickets just created wait for the worker's triage: one batch, counted.
    with counting_statements() as seen:
        derived = _derive_all()
    result["per_triage"] = sum(seen.values()) / derived if derived else 0.0
    result["triage_kinds"] = [[n / max(derived, 1), sql] for sql, n in seen.most_common()]
    if profile:
        result["profile"] = _profiled(_creates(tokens, profile, 3200), profile)
        result["triage_profile"] = _profiled(_derive_all, 1)
    return result


def _derive_all() -> int:
    from django.utils import timezone

    from kefu.intake.derivation import derive_waiting

    derived = 0
    while done := derive_waiting(timezone.now()):
        derived += done
    return derived


def _profiled(call: Callable[[], object], times: int) -> str:
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(times):
        call()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(r"/kefu/", 60)  # Kefu's own functions
    stats.sort_stats("tottime").print_stats(25)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        choices=range(0, 201),
        metavar="0-200",
        help="creates to profile afterwards",
    )
    args = parser.parse_args()
    tokens = os.environ["BENCH_TOKENS"].split()  # customers' API tokens, as bench/api.py seeds
    print(json.dumps(measure_statements(tokens, args.count, args.profile)))


if __name__ == "__main__":
    main()
