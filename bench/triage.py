"""Triage classification speed: latency per message and throughput, one process on one core.

    .venv/bin/python bench/triage.py [--rounds 5] [--batch 256] [--queue 100000]

Messages are the held-out zh/en examples (chat-length) plus email-length texts made by joining
several examples. The model is loaded once, as a server process does. "classify" is
``Model.predict`` (features, linear scores, calibrated probabilities, language); "triage" adds
error-code extraction and both rule stages with the shipped rules, i.e. the whole pure step the
intake pipeline runs per message.

``--queue N`` adds the database side, on a fresh SQLite file (or the scratch PostgreSQL database
``KEFU_DATABASE_URL`` names): ``pipeline.classify`` with the admin's rules from the database
(cached per process), and, with N open tickets in one team, the score sweeper's throughput, the
agents' queue page ordered by score, and "next ticket" claims — before and after ``ANALYZE``
(SQLite's planner only prefers the score-order index once it has statistics).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# bench/ holds scripts named like standard modules (email.py): keep it off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

# One core: pin the process and keep numpy's BLAS to one thread (must precede the numpy import).
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse
import random
import resource
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import percentile
from kefu.triage.classifier import Model, load_default
from kefu.triage.errorcodes import extract_error_code
from kefu.triage.rules import (
    Rule,
    RuleContext,
    apply_rules,
    default_rules,
    load_rules,
)
from kefu.triage.training import project_examples

if TYPE_CHECKING:
    from kefu.tickets.models import Ticket


def corpus(seed: int = 0) -> list[str]:
    texts = [e.text for e in project_examples("heldout")]
    rng = random.Random(seed)
    # Email-length texts, 200 to ~3,000 characters (the model reads the first 1,500).
    emails = ["\n\n".join(rng.sample(texts, rng.randint(6, 80))) for _ in range(len(texts) // 4)]
    return texts + emails


def triage_step(model: Model, rules: Sequence[Rule], text: str) -> None:
    context = RuleContext(text=text, channel="email", error_code=extract_error_code(text))
    before = apply_rules(rules, context, "before")
    prediction = model.predict(text)
    category = before.category or prediction.category
    after = apply_rules(rules, RuleContext(text=text, category=category), "after")
    before.merge(after)


def latencies(
    step: Callable[[str], object], texts: Sequence[str], rounds: int
) -> tuple[list[float], float]:
    """Wall-clock milliseconds per call, and the CPU seconds all calls used."""
    for text in texts[:50]:
        step(text)  # warm caches (regexes, numpy code paths)
    timings = []
    cpu_start = time.thread_time()
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter_ns()
            step(text)
            timings.append((time.perf_counter_ns() - start) / 1e6)
    return timings, time.thread_time() - cpu_start


def row(name: str, measured: tuple[list[float], float]) -> str:
    timings, cpu_seconds = measured
    wall_rate = len(timings) / (sum(timings) / 1000)
    cells = [percentile(timings, q) for q in (0.5, 0.95, 0.99)] + [max(timings)]
    rates = f"{wall_rate:>11,.0f}{len(timings) / cpu_seconds:>11,.0f}"
    return f"{name:<28}{len(timings):>7}" + "".join(f"{c:>8.3f}" for c in cells) + rates


def batch_throughput(model: Model, texts: Sequence[str], batch: int, rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for i in range(0, len(texts), batch):
            model.predict_many(texts[i : i + batch])
    return rounds * len(texts) / (time.perf_counter() - start)


# --- the database side (--queue N) ------------------------------------------------------------


def setup_django() -> None:
    import tempfile

    # A fresh SQLite file, or the (scratch!) PostgreSQL database KEFU_DATABASE_URL names.
    os.environ["KEFU_DATA_DIR"] = tempfile.mkdtemp(prefix="kefu-bench-triage-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def pipeline_row(texts: Sequence[str], rounds: int) -> str:
    """``pipeline.classify``: the model plus the admin's rules read from the database (cached)."""
    from kefu.accounts.models import User
    from kefu.intake.base import InboundMessage
    from kefu.intake.identity import Identity
    from kefu.triage import pipeline

    user = User.objects.create_user("bench@example.com", None)
    identity = Identity(user, None, verified=False)

    def classify(text: str) -> object:
        message = InboundMessage(channel="email", external_id="x", text=text)
        return pipeline.classify(message=message, identity=identity)

    return row("pipeline.classify (DB rules)", latencies(classify, texts, rounds))


def bench_ticket(i: int, rng: random.Random, now: datetime, **fields: Any) -> Ticket:
    """One open ticket waiting 0-48 h, with its score as the pipeline would store it."""
    from datetime import timedelta

    from kefu.tickets.models import Ticket
    from kefu.triage.score import ScoreFacts, priority_score

    created = now - timedelta(minutes=rng.randint(0, 48 * 60))
    priority = rng.choice(("low", "normal", "normal", "high", "urgent"))
    facts = ScoreFacts(
        created_at=created,
        priority=priority,
        category="order_trade",
        key_account=rng.random() < 0.05,
        expedite=rng.random() < 0.02,
    )
    score, terms = priority_score(facts, now)
    return Ticket(
        number=f"KFB{i:09d}",
        subject=f"bench {i}",
        channel="email",
        status="open",
        priority=priority,
        created_at=created,
        updated_at=created,
        score=score,
        triage={"score_terms": [t.as_dict() for t in terms]},
        **fields,
    )


def make_open_tickets(n: int) -> object:
    """``n`` open order tickets of one team, scored and due for a time step."""
    from django.utils import timezone

    from kefu.accounts.actions import create_agent
    from kefu.accounts.models import Team, User
    from kefu.tickets.models import Category, Ticket
    from kefu.triage.models import ScoreRefresh

    rng, now = random.Random(1), timezone.now()
    team = Team.objects.get(code="orders")
    fields = {
        "requester": User.objects.get(email="bench@example.com"),
        "category": Category.objects.get(code="order_trade"),
        "team": team,
    }
    Ticket.objects.bulk_create([bench_ticket(i, rng, now, **fields) for i in range(n)], 5000)
    due = [
        ScoreRefresh(ticket_id=pk, due_at=now) for pk in Ticket.objects.values_list("pk", flat=True)
    ]
    ScoreRefresh.objects.bulk_create(due, batch_size=5000)
    return create_agent(email="agent@bench.test", code="B0001", teams=[team])


def queue_rows(n: int, rounds: int) -> None:
    from django.db import connection

    from kefu.triage import score_refresh

    start = time.perf_counter()
    agent = make_open_tickets(n)
    print(
        f"\n{n:,} open tickets created in {time.perf_counter() - start:.1f} s ({connection.vendor})"
    )
    start, swept = time.perf_counter(), 0
    while handled := score_refresh.sweep(score_refresh.timezone.now()):
        swept += handled
    elapsed = time.perf_counter() - start
    print(
        f"score sweeper: {swept:,} tickets rescored in {elapsed:.1f} s "
        f"({swept / elapsed:,.0f} tickets/s, batches of {score_refresh.BATCH})"
    )
    print(row_header())
    queue_latencies(agent, rounds, "no statistics")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    queue_latencies(agent, rounds, "after ANALYZE")


def queue_latencies(agent: object, rounds: int, note: str) -> None:
    from kefu.accounts.access import viewer_for
    from kefu.tickets import actions, queries
    from kefu.tickets.models import OPEN_STATUSES

    viewer = viewer_for(agent.user)  # type: ignore[attr-defined]
    filters = queries.TicketFilters(order="score")

    def first_page(_: str) -> list:
        tickets = queries.list_tickets(viewer, filters).filter(status__in=OPEN_STATUSES)
        return list(tickets[:25])

    def take_next(_: str) -> object:
        return actions.take_next_ticket(actor=viewer)

    probes = ["q"] * 20
    print(row(f"queue page, {note}", latencies(first_page, probes, rounds)))
    print(row(f"next ticket, {note}", latencies(take_next, probes, rounds)))


def database_part(texts: Sequence[str], n: int, rounds: int) -> None:
    import shutil

    setup_django()
    try:
        print(row_header())
        print(pipeline_row(texts, rounds))
        queue_rows(n, rounds)
    finally:
        from django.db import connection

        connection.close()
        shutil.rmtree(os.environ["KEFU_DATA_DIR"], ignore_errors=True)


def row_header() -> str:
    columns = "".join(f"{c:>8}" for c in ("p50", "p95", "p99", "max"))
    return f"\n{'wall ms (database side)':<28}{'n':>7}{columns}{'msgs/s':>11}{'msgs/cpu-s':>11}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--queue", type=int, default=0, help="open tickets for the DB part")
    args = parser.parse_args()
    print(f"load average before the run: {os.getloadavg()[0]:.2f} (other processes share the CPU)")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    start = time.perf_counter()
    model = load_default()
    load_ms = (time.perf_counter() - start) * 1000
    rules = load_rules(default_rules())
    texts = corpus()
    chars = sorted(len(t) for t in texts)
    short = [t for t in texts if len(t) <= 200]
    long = [t for t in texts if len(t) > 200]

    size = f"{len(model.vocabulary):,} features, {len(model.labels)} labels"
    print(f"model: {size}, loaded in {load_ms:.0f} ms")
    print(f"messages: {len(texts)} (median {chars[len(chars) // 2]} chars, max {chars[-1]})")
    columns = "".join(f"{c:>8}" for c in ("p50", "p95", "p99", "max"))
    print(f"\n{'wall ms per message':<28}{'n':>7}{columns}{'msgs/s':>11}{'msgs/cpu-s':>11}")
    print(row("classify, all", latencies(model.predict, texts, args.rounds)))
    print(row("classify, chat <=200 chars", latencies(model.predict, short, args.rounds)))
    print(row("classify, email >200 chars", latencies(model.predict, long, args.rounds)))
    print(
        row(
            "triage step, all",
            latencies(lambda t: triage_step(model, rules, t), texts, args.rounds),
        )
    )
    batched = batch_throughput(model, texts, args.batch, args.rounds)
    print(f"\npredict_many, batches of {args.batch}: {batched:,.0f} msgs/s")
    if args.queue:
        database_part(texts, args.queue, args.rounds)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak_mb:.0f} MB · one core: CPU {sorted(os.sched_getaffinity(0))}")


if __name__ == "__main__":
    main()
