"""Reports at scale: tickets with their events on PostgreSQL; the summary's and the dashboard
page's latency, and how long the worker takes to refresh the report facts of new tickets.

Tickets and events are bulk-inserted (as the actions would have written them: created, the
customer's opening message, the first agent reply, a resolution for most, ratings for some),
spread over the last two years, by PostgreSQL itself (``generate_series``, a few minutes for a
million); the facts and the daily buckets are then built by the real rollup code in batches of
1,000 (the refresh time per 1,000 new tickets includes moving them into the daily buckets),
and the summary (``/api/v1/reports/summary`` logic) and the dashboard page (rendered by a test
client, as an admin) are timed over the last 28 days; so are the dashboard's figures without
the page around them (the desk's top bar counts the open tickets of the queue on every page).

    .venv/bin/python bench/reports.py --tickets 1000000      # the issue's size
    .venv/bin/python bench/reports.py --tickets 50000        # a quick run

Before timing, the tables are vacuumed and analysed (``VACUUM ANALYZE``), as autovacuum does on
a running server after a bulk of inserts: the report indexes are covering indexes, read without
touching the table once the visibility map is set.

``--keep`` leaves the database ``kefu_bench_reports`` in place afterwards, for EXPLAIN ANALYZE
and profiling; ``--reuse`` measures again on a kept database instead of generating a new one:
it migrates it (the migration that adds the daily buckets fills them from the facts) and times
the refresh of its last 5,000 tickets as new ones (their facts and bucket contributions removed
first). The load average is printed with the figures: the machine is shared.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import os
import resource
import time
from typing import Any

from bench.common import percentile, scratch_postgres, time_calls

PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
TARGET_MS = 300.0
CHUNK = 5000
DB_NAME = "kefu_bench_reports"
REUSE_SAMPLE = 5_000


def setup(url: str) -> None:
    os.environ["KEFU_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
    os.environ.pop("PYTEST_VERSION", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(count: int, seed: int = 7) -> list[int]:
    """Tickets and events inserted by PostgreSQL itself (``generate_series``), 100,000 at a
    time: copying the columns of one ticket made by the ORM, with the varying ones drawn at
    random; the events are the rows the actions write (created, the customer's message, the
    first agent reply, for 85 % a resolution and for 30 % of those a rating)."""
    from django.db import connection

    from kefu.accounts.models import Team
    from kefu.testing import make_personas
    from kefu.tickets.models import Category, Ticket

    p = make_personas()
    template = Ticket.objects.create(number="KB-template", requester=p.anna, organization=p.acme,
                                     channel="web", subject="bench", status="open")  # fmt: skip
    varying = {"number": "'KB' || lpad(g.n::text, 10, '0')", "channel": "g.channel",
               "category_id": "g.category_id", "team_id": "g.team_id",
               "assignee_id": "g.agent_id", "created_at": "g.created", "updated_at": "g.created",
               "status": "CASE WHEN g.resolves THEN 'resolved' ELSE 'open' END"}  # fmt: skip
    columns = [str(f.column) for f in Ticket._meta.concrete_fields if f.column != "id"]
    picked = ", ".join(varying.get(c, f"t.{c}") for c in columns)
    draw: dict[str, Any] = {"teams": list(Team.objects.values_list("pk", flat=True)),
            "categories": list(Category.objects.values_list("pk", flat=True)),
            "agents": [p.alice.agent.pk, p.bob.agent.pk], "actor": p.alice.pk,
            "template": template.pk}  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [1 / seed])
        for start in range(0, count, GENERATE_CHUNK):
            stop = min(count, start + GENERATE_CHUNK) - 1
            cursor.execute("DROP TABLE IF EXISTS gen")
            cursor.execute(GEN_SQL, {**draw, "first": start, "last": stop})
            cursor.execute(
                f"INSERT INTO tickets_ticket ({', '.join(columns)}) SELECT {picked} "
                "FROM gen g, tickets_ticket t WHERE t.id = %(template)s ORDER BY g.n",
                draw,
            )
            cursor.execute(EVENTS_SQL, draw)
            print(f"  generated {stop + 1} tickets", file=sys.stderr)
        # Statistics for the planner, as autovacuum would gather them: without them the rollup's
        # read of a batch's events is planned as a scan of every event.
        cursor.execute("ANALYZE")
    template.delete()
    return list(Ticket.objects.order_by("pk").values_list("pk", flat=True))


GENERATE_CHUNK = 100_000
GEN_SQL = """
CREATE TEMP TABLE gen AS SELECT n,
  now() - make_interval(secs => floor(random() * 730 * 86400)) AS created,
  (ARRAY['web', 'email', 'chat', 'api'])[1 + floor(random() * 4)::int] AS channel,
  (%(categories)s::bigint[])[1 + floor(random() * cardinality(%(categories)s::bigint[]))::int]
    AS category_id,
  (%(teams)s::bigint[])[1 + floor(random() * cardinality(%(teams)s::bigint[]))::int] AS team_id,
  (%(agents)s::bigint[])[1 + floor(random() * cardinality(%(agents)s::bigint[]))::int]
    AS agent_id,
  make_interval(secs => 30 + floor(random() * (3 * 86400 - 29))) AS reply_after,
  random() < 0.85 AS resolves,
  make_interval(secs => 60 + floor(random() * (2 * 86400 - 59))) AS done_after,
  random() < 0.3 AS rates,
  (ARRAY['satisfied', 'satisfied', 'neutral', 'unsatisfied'])[1 + floor(random() * 4)::int]
    AS rating
FROM generate_series(%(first)s::int, %(last)s::int) AS n
"""
EVENTS_SQL = """
INSERT INTO tickets_ticketevent (ticket_id, kind, field, old, new, data, actor_id, created_at)
SELECT ticket_id, kind, field, old, new, data, actor_id, at FROM (
  SELECT t.id AS ticket_id, e.seq, e.kind, e.field, e.old, e.new, e.data, e.actor_id, e.at
  FROM gen g JOIN tickets_ticket t ON t.number = 'KB' || lpad(g.n::text, 10, '0'),
  LATERAL (VALUES
    (1, 'created', '', NULL::jsonb, NULL::jsonb, '{}'::jsonb, NULL::bigint, g.created),
    (2, 'reply', '', NULL, NULL, '{"role": "customer"}', NULL, g.created),
    (3, 'reply', '', NULL, NULL, '{"role": "agent"}', %(actor)s, g.created + g.reply_after),
    (4, 'status', 'status', '"open"', '"resolved"', '{}', NULL,
     g.created + g.reply_after + g.done_after),
    (5, 'rated', '', NULL, to_jsonb(g.rating), '{}', NULL,
     g.created + g.reply_after + g.done_after)
  ) AS e(seq, kind, field, old, new, data, actor_id, at)
  WHERE e.seq <= 3 OR (g.resolves AND (e.seq = 4 OR g.rates))
) AS made ORDER BY ticket_id, seq
"""


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
        forget(ids[-REUSE_SAMPLE:])
        measure(args, build_facts(ids[-REUSE_SAMPLE:]), 0.0)
        return
    with scratch_postgres(PG_URL, DB_NAME, keep=args.keep) as url:
        setup(url)
        began = time.perf_counter()
        ids = generate(args.tickets)
        generated = time.perf_counter() - began
        refresh = build_facts(ids)
        measure(args, refresh, generated)


def forget(ids: list[int]) -> None:
    """As if ``ids`` were new tickets: no facts, nothing of them in the daily buckets."""
    from django.db import transaction

    from kefu.reports.buckets import move
    from kefu.reports.models import TicketFact

    with transaction.atomic():
        for start in range(0, len(ids), 5000):
            facts = TicketFact.objects.filter(pk__in=ids[start : start + 5000])
            move(list(facts), [])
            facts.delete()


def _ticket_ids() -> list[int]:
    from kefu.tickets.models import Ticket

    return list(Ticket.objects.order_by("pk").values_list("pk", flat=True))


def measure(args: argparse.Namespace, refresh: list[float], generated: float) -> None:
    from django.db import connection
    from django.test import Client

    from kefu.accounts.access import viewer_for
    from kefu.accounts.models import User
    from kefu.reports import dashboard, figures, params
    from kefu.tickets.queries import forget_counts

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    admin = User.objects.get(email="ada@kefu.test")
    viewer = viewer_for(admin)
    period = params.period_of({})
    load_before = os.getloadavg()
    summary = time_calls(lambda: figures.summary(viewer, period, figures.Filters()), args.runs)
    team = params.filters_of({"team": "orders", "channel": "web"})
    filtered = time_calls(lambda: figures.summary(viewer, period, team), args.runs)
    built = time_calls(
        lambda: dashboard.build(viewer, period, figures.Filters(), "Asia/Shanghai"), args.runs
    )
    client = Client()
    client.force_login(admin)
    assert client.get("/desk/reports/").status_code == 200

    def page_as_first_seen() -> object:
        # The desk's top bar keeps its open-ticket counts for 2 s per process (kefu.tickets.
        # queries): a page opened afresh counts them, so each timed page does.
        forget_counts()
        return client.get("/desk/reports/")

    page = time_calls(page_as_first_seen, max(5, args.runs // 3))
    load_after = os.getloadavg()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    made = f"generated in {generated:.0f} s" if generated else "a kept database"
    print(f"\nreports on PostgreSQL: {args.tickets:,} tickets with their events "
          f"({made}); period: the last 28 days")  # fmt: skip
    print(
        "load average (1, 5, 15 min) before timing: {:.2f} {:.2f} {:.2f}, after: "
        "{:.2f} {:.2f} {:.2f} (2 cores)\n".format(*load_before, *load_after)
    )
    print(f"{'measure':44} {'p50':>9} {'p95':>9} {'p99':>9}")
    for name, samples in (("summary, all teams (ms)", summary),
                          ("summary, team + channel filter (ms)", filtered),
                          ("dashboard figures, built (ms)", built),
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
