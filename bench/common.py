"""What the benchmarks share: timing calls, percentiles and scratch databases.

Scripts put the repository root first on ``sys.path`` before importing this (run as scripts,
``bench/`` would come first and ``bench/email.py`` would shadow the standard library).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


def time_calls(call: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds of ``runs`` calls, after one untimed call that warms caches as a running
    server would have them."""
    call()
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def percentile(samples: Sequence[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@contextmanager
def scratch_postgres(pg_url: str, name: str, keep: bool = False) -> Iterator[str]:
    """A new, empty PostgreSQL database ``name`` on ``pg_url``'s server, dropped afterwards
    (unless ``keep``); yields its URL."""
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{pg_url.rsplit('/', 1)[0]}/{name}"
    finally:
        if not keep:
            with psycopg.connect(pg_url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def database(kind: str, pg_url: str, name: str) -> Iterator[dict[str, str]]:
    """The environment for `kefu` processes on a fresh database: SQLite in a temporary
    directory, or the scratch PostgreSQL database ``name``."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kefu.settings"}
    env.pop("KEFU_DATABASE_URL", None)
    env.pop("PYTEST_VERSION", None)  # not the test settings, even when run from a test
    with tempfile.TemporaryDirectory(prefix=f"{name}-") as data_dir:
        env["KEFU_DATA_DIR"] = data_dir
        env["KEFU_MEDIA_ROOT"] = str(Path(data_dir) / "media")
        if kind == "sqlite":
            yield env
            return
        with scratch_postgres(pg_url, name) as url:
            env["KEFU_DATABASE_URL"] = url
            yield env
