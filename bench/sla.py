"""SLA benchmarks. Run: ``.venv/bin/python bench/sla.py [--count N] [--section NAME]``.

Sections (each returns table rows; add new ones to ``SECTIONS``):

* ``due``: due-time computations per second with the pure clock maths (``kefu.sla.clock``), starts
  spread over the 2026 National Day week (28 Sept - 10 Oct, Asia/Shanghai), each calendar built
  fresh so the per-day caches are filled during the run, not before it.

The worker's scan for due tickets among 1,000,000 open ones is the next section to add here.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kefu.sla.calendars import (
    Calendar,
    CalendarTemplate,
    build_calendar,
    parse_hours,
    shipped_calendar,
    union,
)
from kefu.sla.clock import due_at, parse_target

YEARS = range(2025, 2028)
WINDOW_START = datetime(2026, 9, 28, tzinfo=ZoneInfo("Asia/Shanghai"))
WINDOW = timedelta(days=13)
LATENCY_SAMPLE = 20_000


@dataclass(frozen=True)
class Row:
    name: str
    per_second: float
    p50_us: float
    p95_us: float
    p99_us: float
    memory_kib: float


def starts(count: int, seed: int) -> list[datetime]:
    rng = random.Random(seed)
    span = WINDOW.total_seconds()
    return [WINDOW_START + timedelta(seconds=rng.uniform(0, span)) for _ in range(count)]


def follow_the_sun() -> Calendar:
    london = CalendarTemplate(
        "uk-standard",
        "UK working days 09:00-18:00",
        "英国工作日 09:00-18:00",
        "Europe/London",
        (parse_hours("09:00-18:00"),) * 5 + ((), ()),
        holiday_source="holidays:GB:ENG",
    )
    return union(shipped_calendar("cn-standard", years=YEARS), build_calendar(london, years=YEARS))


CASES: list[tuple[str, Callable[[], Calendar], str]] = [
    ("cn-standard 3m", lambda: shipped_calendar("cn-standard", years=YEARS), "3m"),
    ("cn-standard 90m", lambda: shipped_calendar("cn-standard", years=YEARS), "90m"),
    ("cn-standard 24h", lambda: shipped_calendar("cn-standard", years=YEARS), "24h"),
    ("cn-chat 3m", lambda: shipped_calendar("cn-chat", years=YEARS), "3m"),
    ("us-standard 24h", lambda: shipped_calendar("us-standard", years=YEARS), "24h"),
    ("cn+uk union 90m", follow_the_sun, "90m"),
    ("cn-standard 1d", lambda: shipped_calendar("cn-standard", years=YEARS), "1d"),
    ("cn-standard 5d", lambda: shipped_calendar("cn-standard", years=YEARS), "5d"),
]


def measure_case(
    name: str, build: Callable[[], Calendar], target_text: str, moments: list[datetime]
) -> Row:
    target = parse_target(target_text)
    calendar = build()
    began = time.perf_counter()
    for moment in moments:
        due_at(calendar, moment, target)
    per_second = len(moments) / (time.perf_counter() - began)

    latencies = []
    for moment in moments[:LATENCY_SAMPLE]:
        tick = time.perf_counter_ns()
        due_at(calendar, moment, target)
        latencies.append((time.perf_counter_ns() - tick) / 1000)
    cuts = statistics.quantiles(latencies, n=100)

    # Memory held by a fresh calendar's caches after serving the whole window.
    tracemalloc.start()
    fresh = build()
    for moment in moments[:2000]:
        due_at(fresh, moment, target)
    memory_kib = tracemalloc.get_traced_memory()[0] / 1024
    tracemalloc.stop()
    return Row(name, per_second, cuts[49], cuts[94], cuts[98], memory_kib)


def due_section(count: int, seed: int) -> list[Row]:
    moments = starts(count, seed)
    return [measure_case(name, build, target, moments) for name, build, target in CASES]


SECTIONS: dict[str, Callable[[int, int], list[Row]]] = {"due": due_section}


def print_table(title: str, rows: list[Row]) -> None:
    print(f"\n{title}")
    header = (
        f"{'case':<18} {'per second':>12} {'p50 µs':>8} {'p95 µs':>8} {'p99 µs':>8} "
        f"{'cache KiB':>10}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r.name:<18} {r.per_second:>12,.0f} {r.p50_us:>8.1f} {r.p95_us:>8.1f} "
            f"{r.p99_us:>8.1f} {r.memory_kib:>10.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200_000, help="computations per case")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--section", choices=sorted(SECTIONS), action="append")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {args.count:,} computations per case")
    for name in args.section or list(SECTIONS):
        print_table(f"[{name}]", SECTIONS[name](args.count, args.seed))
    peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS {peak_rss_mib:.0f} MiB")


if __name__ == "__main__":
    main()
