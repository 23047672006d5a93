"""SLA benchmarks. Run: ``.venv/bin/python bench/sla.py [--section NAME] [--count N]``.

Sections:

* ``due``: due-time computations per second with the pure clock maths (``kefu.sla.clock``), starts
  spread over the 2026 National Day week (28 Sept - 10 Oct, Asia/Shanghai), each calendar built
  fresh so the per-day caches are filled during the run, not before it.
* ``scan``: the SLA worker's wake-up among 1,000,000 open clocks on PostgreSQL: the indexed query
  for due warnings and breaches (``kefu.sla.sweep.find_due``) and the next due instant
  (``next_due``), with nothing due and with a backlog of 200 due clocks. The rows are
  bulk-inserted into a scratch database that the benchmark creates and drops (``--pg-url``).
* ``lag``: two ``kefu worker`` processes on that scratch database, 1,000 tickets with a 1-minute
  first-response target: how long after its due instant each breach is detected, and whether any
  fired twice. "spread": tickets created one after another as fast as the API would, each due
  60 s after its creation; "burst": 1,000 tickets all due at the same instant. With ``scan`` in
  the same run, the 1,000,000 open clocks are there too.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

# The repository instead of this directory: bench scripts such as email.py must not shadow the
# standard library.
sys.path.remove(str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import scratch_postgres
from kefu.sla.calendars import (
    Calendar,
    CalendarTemplate,
    build_calendar,
    parse_hours,
    shipped_calendar,
    union,
)
from kefu.sla.clock import due_at, parse_target

ROOT = Path(__file__).resolve().parents[1]
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


# --- the worker against PostgreSQL (scan, lag) --------------------------------------------------

SCRATCH = "kefu_bench_sla"
LAG_TARGET = timedelta(minutes=1)


@contextmanager
def scratch_database(pg_url: str) -> Iterator[str]:
    """A fresh PostgreSQL database for the run, dropped afterwards."""
    with scratch_postgres(pg_url, SCRATCH) as url:
        try:
            yield url
        finally:
            from django.db import connections

            connections.close_all()


def setup_django(url: str) -> None:
    os.environ.pop("PYTEST_VERSION", None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="kefu.settings",
        KEFU_DATABASE_URL=url,
        KEFU_DATA_DIR=tempfile.mkdtemp(prefix="kefu-bench-sla-"),
        KEFU_LOG_LEVEL="WARNING",
    )
    import django
    from django.core.management import call_command

    django.setup()
    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"\nscratch database {SCRATCH} migrated in {time.perf_counter() - began:.1f} s")


def bench_customer() -> Any:
    from kefu.accounts.actions import create_customer
    from kefu.accounts.models import Organization, User

    found = User.objects.filter(email="bench@sla.test").first()
    if found is not None:
        return found
    organization = Organization.objects.create(name="Bench Org", code="bench")
    return create_customer(email="bench@sla.test", organization=organization, is_main=True).user


def insert_open_clocks(count: int) -> float:
    """``count`` open tickets (copies of one made through the actions, opened over the past
    month) with one running clock each, due over the next 30 days."""
    from django.db import connection

    from kefu.sla.models import SlaClock
    from kefu.testing import make_ticket
    from kefu.tickets.models import Ticket

    template = make_ticket(bench_customer(), subject="template")
    columns = [f.column for f in Ticket._meta.concrete_fields if f.column and f.column != "id"]
    varied = {
        "number": "'B' || lpad(g::text, 10, '0')",
        "created_at": "now() - random() * interval '30 days'",  # a month of open tickets
    }
    copied = ", ".join(varied.get(c, c) for c in columns)
    tickets, clocks = Ticket._meta.db_table, SlaClock._meta.db_table
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {tickets} ({', '.join(columns)}) SELECT {copied} "
            f"FROM {tickets}, generate_series(1, %s) g WHERE {tickets}.id = %s",
            [count, template.pk],
        )
        cursor.execute(
            f"INSERT INTO {clocks} (ticket_id, metric, target, calendars, warn_share, started_at,"
            " state, due_at, warn_at, updated_at) "
            "SELECT id, 'resolution', '5d', 'cn-standard', 0.75, now(), 'running', due,"
            " due - interval '2 hours', now() FROM (SELECT id, now() + interval '1 hour'"
            f" + random() * interval '30 days' AS due FROM {tickets} WHERE number LIKE 'B%%') t"
        )
        cursor.execute(f"ANALYZE {tickets}; ANALYZE {clocks}")
    return time.perf_counter() - began


def plan_scans(sql: str, params: list[Any]) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    scans = r"((?:Seq|Index|Index Only|Bitmap Index|Bitmap Heap) Scan (?:using|on) \w+)"
    return sorted(set(re.findall(scans, plan)))


def time_wakeups(repeats: int) -> list[float]:
    from django.utils import timezone

    from kefu.sla import sweep

    samples = []
    for _ in range(repeats):
        began = time.perf_counter()
        sweep.find_due(timezone.now())
        sweep.next_due()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def scan_section(args: argparse.Namespace, url: str) -> None:
    from django.db import connection
    from django.utils import timezone

    from kefu.sla import sweep
    from kefu.sla.models import SlaClock

    inserted = insert_open_clocks(args.open)
    open_count = SlaClock.objects.filter(state="running").count()
    print(f"\n[scan] {open_count:,} running clocks inserted in {inserted:.1f} s")
    rows = [("nothing due", time_wakeups(300))]
    backlog = SlaClock.objects.filter(state="running").order_by("pk").values("pk")[:200]
    SlaClock.objects.filter(pk__in=backlog).update(due_at=timezone.now() - timedelta(seconds=1))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {SlaClock._meta.db_table}")
    rows.append(("200 due", time_wakeups(300)))
    moment = connection.ops.adapt_datetimefield_value(timezone.now())
    find_plan = plan_scans(sweep.FIND_DUE_SQL, [moment] * sweep.FIND_DUE_SQL.count("%s"))
    print("plans:", ", ".join(find_plan), "|", ", ".join(plan_scans(sweep.NEXT_DUE_SQL, [])))
    header = (
        f"{'wake-up (find_due + next_due)':<30} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'max ms':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, samples in rows:
        cuts = statistics.quantiles(samples, n=100)
        print(f"{name:<30} {cuts[49]:>8.2f} {cuts[94]:>8.2f} {cuts[98]:>8.2f} {max(samples):>8.2f}")
    SlaClock.objects.filter(pk__in=backlog).update(due_at=timezone.now() + timedelta(days=30))


def start_workers(url: str, count: int = 2) -> list[subprocess.Popen]:
    env = {**os.environ, "KEFU_DATABASE_URL": url}
    command = [sys.executable, "-m", "kefu.cli", "worker", "--only", "sla-clocks", "--no-tasks"]
    workers = []
    for _ in range(count):
        worker = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert worker.stdout is not None and "running" in worker.stdout.readline()
        workers.append(worker)
    return workers


def create_tickets(count: int, created_at: datetime | None = None) -> tuple[list[int], float]:
    """Tickets through ``tickets.actions`` (clocks and all), as intake makes them."""
    from kefu.testing import make_ticket

    customer = bench_customer()
    began = time.perf_counter()
    ids = [
        make_ticket(customer, subject=f"lag {n}", created_at=created_at).pk for n in range(count)
    ]
    return ids, time.perf_counter() - began


def wait_for_breaches(ticket_ids: list[int], timeout: float) -> list[Any]:
    from kefu.sla.models import SlaClock

    clocks = SlaClock.objects.filter(ticket_id__in=ticket_ids, metric="first_response")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and clocks.filter(breached_at__isnull=True).exists():
        time.sleep(0.5)
    return list(clocks)


def lag_row(name: str, ticket_ids: list[int], created_in: float) -> tuple:
    from django.db.models import Count

    from kefu.tickets.models import TicketEvent

    clocks = wait_for_breaches(ticket_ids, timeout=LAG_TARGET.total_seconds() + 120)
    lags = sorted(
        (c.breached_at - c.due_at).total_seconds() for c in clocks if c.breached_at is not None
    )
    fired = TicketEvent.objects.filter(ticket_id__in=ticket_ids, kind="sla_breach")
    twice = fired.values("ticket_id").annotate(n=Count("id")).filter(n__gt=1).count()
    cuts = statistics.quantiles(lags, n=100) if len(lags) > 1 else [lags[0]] * 99
    late = sum(1 for lag in lags if lag > 5)
    return (name, len(ticket_ids), created_in, len(lags), cuts[49], cuts[94], cuts[98],
            lags[-1], late, twice)  # fmt: skip


def lag_section(args: argparse.Namespace, url: str) -> None:
    from django.utils import timezone

    from kefu.sla.models import BusinessCalendar, SlaPolicy

    SlaPolicy.objects.create(
        code="bench-one-minute", name_en="One minute", name_zh="一分钟", channel="web",
        first_response="1m", calendar=BusinessCalendar.objects.get(code="always"), order=1,
    )  # fmt: skip
    workers = start_workers(url)
    rows = []
    try:
        spread, spread_took = create_tickets(args.tickets)
        rows.append(lag_row("spread", spread, spread_took))
        # All due at one instant, a little after the last of them is created.
        due = timezone.now() + timedelta(seconds=1.5 * spread_took + 10)
        burst, burst_took = create_tickets(args.tickets, created_at=due - LAG_TARGET)
        rows.append(lag_row("burst", burst, burst_took))
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    print("\n[lag] two `kefu worker` processes, 1-minute first-response target on `always`")
    header = (f"{'scenario':<8} {'tickets':>7} {'created s':>9} {'breached':>8} {'p50 s':>6} "
              f"{'p95 s':>6} {'p99 s':>6} {'max s':>6} {'> 5 s':>5} {'twice':>5}")  # fmt: skip
    print(header)
    print("-" * len(header))
    for name, count, took, done, p50, p95, p99, worst, late, twice in rows:
        print(f"{name:<8} {count:>7} {took:>9.1f} {done:>8} {p50:>6.2f} {p95:>6.2f} "
              f"{p99:>6.2f} {worst:>6.2f} {late:>5} {twice:>5}")  # fmt: skip


def run_due(args: argparse.Namespace) -> None:
    print(f"{args.count:,} computations per case")
    print_table("[due]", due_section(args.count, args.seed))


def run_database_sections(args: argparse.Namespace, names: list[str]) -> None:
    with scratch_database(args.pg_url) as url:
        setup_django(url)
        for name in names:
            {"scan": scan_section, "lag": lag_section}[name](args, url)


SECTIONS = ("due", "scan", "lag")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200_000, help="computations per case")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--section", choices=SECTIONS, action="append")
    parser.add_argument("--open", type=int, default=1_000_000, help="open clocks for scan")
    parser.add_argument("--tickets", type=int, default=1_000, help="tickets for lag")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}")
    chosen = args.section or list(SECTIONS)
    if "due" in chosen:
        run_due(args)
    database = [name for name in chosen if name != "due"]
    if database:
        run_database_sections(args, database)
    peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS {peak_rss_mib:.0f} MiB")


if __name__ == "__main__":
    main()
