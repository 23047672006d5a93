"""Reports at scale: tickets with their events on PostgreSQL; the summary's and the dashboard
page's latency, and how long the worker takes to refresh the report facts of new tickets.

Tickets and events are bulk-inserted (as the actions would have written them: created, the
customer's opening message, the first agent reply, a resolution for most, ratings for some),
spread over the last two years; the facts are then built by the real rollup code in batches,
and the summary (``/api/v1/reports/summary`` logic) and the dashboard page (rendered by a test
client, as an admin) are timed over the last 28 days.

    .venv/bin/python bench/reports.py --tickets 1000000      # the issue's size
    .venv/bin/python bench/reports.py --tickets 50000        # a quick run

Before timing, the tables are vacuumed and analysed (``VACUUM ANALYZE``), as autovacuum does on
a running server after a bulk of inserts: the report indexes are covering indexes, read without
touching the table once the visibility map is set.

``--keep`` leaves the database ``kefu_bench_reports`` in place afterwards, for EXPLAIN ANALYZE
and profiling; ``--reuse`` measures again on a kept database (migrating it first, and timing
the rollup refresh on its first 20,000 tickets) instead of generating a new one.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import os
import random
import resource
import time
from datetime import timedelta

from bench.common import percentile, scratch_postgres

PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
TARGET_MS = 300.0
CHUNK = 5000
DB_NAME = "kefu_bench_reports"
REUSE_SAMPLE = 20_000


def setup(url: str) -> None:
    os.environ["KEFU_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
    os.environ.pop("PYTEST_VERSION", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(count: int, seed: int = 7) -> list[int]:
    from django.utils import timezone

    from kefu.accounts.models import Team
    from kefu.testing import make_personas
    from kefu.tickets.models import Category, Ticket, TicketEvent

    rng = random.Random(seed)
    p = make_personas()
    teams = list(Team.objects.values_list("pk", flat=True))
    categories = list(Category.objects.values_list("pk", flat=True))
    agents = [p.alice.agent.pk, p.bob.agent.pk]
    now = timezone.now()
    ids: list[int] = []
    for start in range(0, count, CHUNK):
        tickets = []
        for n in range(start, min(count, start + CHUNK)):
            created = now - timedelta(seconds=rng.randint(0, 730 * 86400))
            tickets.append(Ticket(number=f"KB{n:010d}", requester=p.anna, organization=p.acme,
                                  channel=rng.choice(["web", "email", "chat", "api"]),
                                  subject="bench", category_id=rng.choice(categories),
                                  team_id=rng.choice(teams), assignee_id=rng.choice(agents),
                                  status="open", created_at=created))  # fmt: skip
        made = Ticket.objects.bulk_create(tickets)
        events = []
        for t in made:
            events += [TicketEvent(ticket=t, kind="created", created_at=t.created_at),
                       TicketEvent(ticket=t, kind="reply", data={"role": "customer"},
                                   created_at=t.created_at)]  # fmt: skip
            reply = t.created_at + timedelta(seconds=rng.randint(30, 3 * 86400))
            events.append(TicketEvent(ticket=t, kind="reply", data={"role": "agent"},
                                      actor_id=p.alice.pk, created_at=reply))  # fmt: skip
            if rng.random() < 0.85:
                done = reply + timedelta(seconds=rng.randint(60, 2 * 86400))
                events.append(TicketEvent(ticket=t, kind="status", field="status", old="open",
                                          new="resolved", created_at=done))  # fmt: skip
                t.status = "resolved"
                if rng.random() < 0.3:
                    rating = rng.choice(["satisfied", "satisfied", "neutral", "unsatisfied"])
                    events.append(TicketEvent(ticket=t, kind="rated", created_at=done, new=rating))
        TicketEvent.objects.bulk_create(events)
        Ticket.objects.bulk_update([t for t in made if t.status == "resolved"], ["status"])
        ids += [t.pk for t in made]
        print(f"  generated {len(ids)} tickets", file=sys.stderr)
    return ids


def build_facts(ids: list[int]) -> list[float]:
    """Seconds per 1,000 tickets, per batch of the real rollup refresh."""
    from django.utils import timezone

    from kefu.reports.rollup import mark, sweep

    per_thousand = []
    for start in range(0, len(ids), 1000):
        batch = ids[start : start + 1000]
        mark(batch)
        began = time.perf_counter()
        while sweep(timezone.now()):
            pass
        per_thousand.append(time.perf_counter() - began)
    return per_thousand


def time_calls(call, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    call()  # warm caches as a running server would have them
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure on a kept database")
    args = parser.parse_args()
    if args.reuse:
        setup(f"{PG_URL.rsplit('/', 1)[0]}/{DB_NAME}")
        ids = list(_ticket_ids())
        args.tickets = len(ids)
        measure(args, build_facts(ids[:REUSE_SAMPLE]), 0.0)
        return
    with scratch_postgres(PG_URL, DB_NAME, keep=args.keep) as url:
        setup(url)
        began = time.perf_counter()
        ids = generate(args.tickets)
        generated = time.perf_counter() - began
        refresh = build_facts(ids)
        measure(args, refresh, generated)


def _ticket_ids() -> list[int]:
    from kefu.tickets.models import Ticket

    return list(Ticket.objects.order_by("pk").values_list("pk", flat=True))


def measure(args: argparse.Namespace, refresh: list[float], generated: float) -> None:
    from django.db import connection
    from django.test import Client

    from kefu.accounts.access import viewer_for
    from kefu.accounts.models import User
    from kefu.reports import figures, params

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    admin = User.objects.get(email="ada@kefu.test")
    viewer = viewer_for(admin)
    period = params.period_of({})
    summary = time_calls(lambda: figures.summary(viewer, period, figures.Filters()), args.runs)
    team = params.filters_of({"team": "orders", "channel": "web"})
    filtered = time_calls(lambda: figures.summary(viewer, period, team), args.runs)
    client = Client()
    client.force_login(admin)
    page = time_calls(lambda: client.get("/desk/reports/"), max(5, args.runs // 3))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    made = f"generated in {generated:.0f} s" if generated else "a kept database"
    print(f"\nreports on PostgreSQL: {args.tickets:,} tickets with their events "
          f"({made}); period: the last 28 days\n")  # fmt: skip
    print(f"{'measure':44} {'p50':>9} {'p95':>9} {'p99':>9}")
    for name, samples in (("summary, all teams (ms)", summary),
                          ("summary, team + channel filter (ms)", filtered),
                          ("dashboard page, rendered (ms)", page),
                          ("rollup refresh per 1,000 new tickets (s)", refresh)):  # fmt: skip
        print(f"{name:44} {percentile(samples, .5):9.2f} {percentile(samples, .95):9.2f} "
              f"{percentile(samples, .99):9.2f}")  # fmt: skip
    print(f"{'floor: summary p95 (ms)':44} {'':9} {TARGET_MS:9.2f}")
    print(f"{'floor: dashboard page p95 (ms)':44} {'':9} {TARGET_MS:9.2f}")
    print(f"{'throughput: facts refreshed per second':44} {1000 / percentile(refresh, 0.5):9.0f}")
    print(f"{'peak memory (MiB)':44} {rss:9.0f}")


if __name__ == "__main__":
    main()
