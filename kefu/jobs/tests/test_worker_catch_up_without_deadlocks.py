"""Workers catching up after an outage never deadlock with each other (PostgreSQL).

2,000 SLA clocks fell due during a 2-minute outage, and with them the score refresh of every open
ticket (20,000: the 2,000 and the rest of the queue, whose clocks are not due yet).
Three ``kefu worker`` processes then run the real SLA and score sweepers at once: each breach
escalates (priority raised, clocks rebuilt, the score refreshed and rescheduled) while the score
sweepers rescore the same tickets. PostgreSQL's own deadlock counter for the database stays where
it was, no worker logs a deadlock, and every clock is breached exactly once.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from kefu.sla.models import BusinessCalendar, SlaClock, SlaPolicy
from kefu.sla.tests.test_two_workers_postgres import database_url
from kefu.testing import make_ticket
from kefu.tickets.models import Ticket, TicketEvent
from kefu.triage.models import ScoreRefresh

ROOT = Path(__file__).resolve().parents[3]
CLOCKS = 2_000
QUEUE = 18_000  # other open tickets: no clock due, but their score steps are
WORKERS = 3
OUTAGE = timedelta(minutes=2)
TARGET = timedelta(minutes=10)


def deadlocks() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # read the counter afresh
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


def copy_tickets(template: Ticket, count: int) -> list[int]:
    """``count`` copies of ``template`` with copies of its clocks, so a rebuild computes the same
    clocks again (same creation instant, policy and history)."""
    tickets, clocks = Ticket._meta.db_table, SlaClock._meta.db_table
    columns = [f.column for f in Ticket._meta.concrete_fields if f.column != "id"]
    prefix = f"'C{template.pk}-' || "
    copied = ", ".join(prefix + "g::text" if c == "number" else c for c in columns)
    clock_columns = [f.column for f in SlaClock._meta.concrete_fields
                     if f.column not in ("id", "ticket_id")]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {tickets} ({', '.join(columns)}) SELECT {copied} FROM {tickets}, "
            f"generate_series(1, %s) g WHERE {tickets}.id = %s RETURNING id",
            [count, template.pk],
        )
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"INSERT INTO {clocks} (ticket_id, {', '.join(clock_columns)}) "
            f"SELECT t.id, {', '.join('c.' + c for c in clock_columns)} FROM {clocks} c, "
            f"unnest(%s::bigint[]) AS t(id) WHERE c.ticket_id = %s",
            [ids, template.pk],
        )
        cursor.execute(f"ANALYZE {tickets}; ANALYZE {clocks}")
    return ids


def make_score_steps_due(ids: list[int]) -> None:
    """Every open ticket's score step fell due during the outage (in random order)."""
    table = ScoreRefresh._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(
            f"INSERT INTO {table} (ticket_id, due_at) SELECT id, now() - random() * %s "
            "FROM unnest(%s::bigint[]) AS t(id)",
            [OUTAGE, ids],
        )


def start_worker(tmp_path: Path, log: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTEST_VERSION", "KEFU_TEST_DATABASE_URL")}  # fmt: skip
    env.update(KEFU_DATABASE_URL=database_url(), KEFU_DATA_DIR=str(tmp_path),
               KEFU_LOG_LEVEL="WARNING")  # fmt: skip
    command = [sys.executable, "-m", "kefu.cli", "worker", "--only", "sla-clocks",
               "triage-scores", "--no-tasks"]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=log.open("w"), text=True)  # fmt: skip
    assert process.stdout is not None
    assert "Kefu worker running" in process.stdout.readline()
    return process


def wait_until_caught_up(clock_ids: list[int], timeout: float) -> float:
    began, began_at = time.monotonic(), timezone.now()
    while time.monotonic() - began < timeout:
        clocks = SlaClock.objects.filter(pk__in=clock_ids, breached_at__isnull=True).exists()
        scores = ScoreRefresh.objects.filter(due_at__lte=began_at).exists()
        if not clocks and not scores:
            break
        time.sleep(0.5)
    return time.monotonic() - began


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_workers_catching_up_after_an_outage_never_deadlock(personas, tmp_path, capsys):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set KEFU_TEST_DATABASE_URL=postgresql://… to run it")
    SlaPolicy.objects.create(
        code="ten-minutes", name_en="Ten minutes", name_zh="十分钟", channel="web", order=1,
        first_response="10m", calendar=BusinessCalendar.objects.get(code="always"),
    )  # fmt: skip
    # Due 2 minutes ago; shipment tickets' breaches raise the priority (a full ticket change).
    template = make_ticket(personas.anna, category="shipment_logistics",
                           created_at=timezone.now() - TARGET - OUTAGE)  # fmt: skip
    ids = [template.pk, *copy_tickets(template, CLOCKS - 1)]
    waiting = make_ticket(personas.anna, category="shipment_logistics")  # due in 10 minutes
    queue = [waiting.pk, *copy_tickets(waiting, QUEUE - 1)]
    make_score_steps_due(ids + queue)
    due = SlaClock.objects.filter(ticket_id__in=ids, metric="first_response",
                                  due_at__lte=timezone.now())  # fmt: skip
    clock_ids = list(due.values_list("pk", flat=True))
    assert len(clock_ids) == CLOCKS
    before = deadlocks()
    logs = [tmp_path / f"worker-{n}.log" for n in range(WORKERS)]
    workers = [start_worker(tmp_path / f"w{n}", log) for n, log in enumerate(logs)]
    try:
        took = wait_until_caught_up(clock_ids, timeout=400)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=60)
    time.sleep(1.5)  # backends flush their statistics at most once a second
    after = deadlocks()
    logged = "\n".join(log.read_text() for log in logs)
    breaches = Counter(
        TicketEvent.objects.filter(kind="sla_breach", ticket_id__in=ids).values_list(
            "data__clock", flat=True
        )
    )
    with capsys.disabled():
        print(
            f"\n[catch-up] {CLOCKS} clocks, {WORKERS} workers: {took:.1f} s, deadlocks "
            f"{before} -> {after}, breach events {sum(breaches.values())}, "
            f"'deadlock' in logs {logged.count('deadlock detected')}, "
            f"priority raised on {Ticket.objects.filter(pk__in=ids, priority='high').count()}"
        )
    assert after == before, f"{after - before} deadlocks during the catch-up"
    assert "deadlock detected" not in logged
    assert set(breaches) == set(clock_ids) and set(breaches.values()) == {1}  # exactly once
    assert not SlaClock.objects.filter(pk__in=clock_ids, breached_at__isnull=True).exists()
    assert not ScoreRefresh.objects.filter(due_at__lte=timezone.now() - OUTAGE).exists()
    assert Ticket.objects.filter(pk__in=ids).exclude(triage__sla_due_at=None).count() == CLOCKS
