"""Must-show 3: two ``kefu worker`` processes on PostgreSQL detect every breach of a 1-minute
target within 5 s of its due instant, exactly once (``bench/sla.py --section lag`` does 1,000)."""

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
from kefu.testing import make_ticket
from kefu.tickets.models import TicketEvent

ROOT = Path(__file__).resolve().parents[3]
TICKETS = 200
LEAD = timedelta(seconds=50)  # tickets are backdated so their 1-minute target falls due in ~10 s
MAX_LAG = timedelta(seconds=5)


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgresql://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(tmp_path: Path) -> subprocess.Popen:
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "KEFU_TEST_DATABASE_URL")
    }
    env.update(
        KEFU_DATABASE_URL=database_url(), KEFU_DATA_DIR=str(tmp_path), KEFU_LOG_LEVEL="WARNING"
    )
    command = [sys.executable, "-m", "kefu.cli", "worker", "--only", "sla-clocks", "--no-tasks"]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    assert "Kefu worker running" in process.stdout.readline()  # up and sweeping
    return process


def wait_for_breaches(clock_ids: list[int], deadline: float) -> None:
    while time.monotonic() < deadline:
        pending = SlaClock.objects.filter(pk__in=clock_ids, breached_at__isnull=True).count()
        if not pending:
            return
        time.sleep(0.5)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_detect_each_breach_within_seconds_exactly_once(personas, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set KEFU_TEST_DATABASE_URL=postgresql://… to run it")
    SlaPolicy.objects.create(
        code="one-minute", name_en="One minute", name_zh="一分钟", channel="web", order=1,
        first_response="1m", calendar=BusinessCalendar.objects.get(code="always"),
    )  # fmt: skip
    workers = [start_worker(tmp_path / str(n)) for n in range(2)]
    try:
        tickets = [
            make_ticket(personas.anna, subject=f"Stuck {n}", created_at=timezone.now() - LEAD)
            for n in range(TICKETS)
        ]
        clocks = list(SlaClock.objects.filter(ticket__in=tickets, metric="first_response"))
        latest_due = max(c.due_at for c in clocks)
        wait_for_breaches(
            [c.pk for c in clocks],
            time.monotonic() + 60 + (latest_due - timezone.now()).total_seconds(),
        )
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)

    clocks = list(SlaClock.objects.filter(pk__in=[c.pk for c in clocks]))
    assert all(c.breached_at is not None for c in clocks)
    lags = sorted(c.breached_at - c.due_at for c in clocks)
    assert lags[0] >= timedelta(0)  # never early
    assert lags[-1] <= MAX_LAG, f"slowest breach detected {lags[-1]} after its due instant"
    fired = Counter(
        TicketEvent.objects.filter(kind="sla_breach").values_list("ticket_id", flat=True)
    )
    assert len(fired) == TICKETS and set(fired.values()) == {1}  # exactly once each
