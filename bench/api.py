"""Ticket API benchmark: create throughput and latency, and list latency over 100k tickets.

Runs a real server (`kefu serve`, uvicorn) against a fresh database, drives it over HTTP with
concurrent clients, and prints a table per database:

    .venv/bin/python bench/api.py                       # SQLite and PostgreSQL
    .venv/bin/python bench/api.py --db postgres --creates 3000 --tickets 100000

PostgreSQL is the local server (``--pg-url``); the benchmark creates and drops its own database.

Three "floor" rows show what any create costs on this machine before the intake pipeline does
anything: the HTTP stack (``/healthz``), an authenticated POST the API refuses (no subject), and
the bare writes of a ticket in one transaction through the ORM, in as many processes as server
workers.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, Python puts bench/ first on the path, where email.py would shadow the
# standard library's email package: the repository root takes its place.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

import httpx

from bench.common import database, percentile
from bench.cost import CpuMeter

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def kefu(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "-m", "kefu.cli", *args], env=env, cwd=ROOT, check=True, capture_output=True,
        text=True,
    )  # fmt: skip
    return done.stdout


SEED = """
import os, random
from datetime import timedelta
import django
django.setup()
from django.utils import timezone
from kefu.accounts.actions import create_agent, create_api_token, create_customer
from kefu.accounts.models import Organization, Team
from kefu.tickets.models import Category, Ticket

orgs = [Organization.objects.create(name=f"Org {i}", code=f"org{i}") for i in range(50)]
customer = create_customer(email="bench@org0.test", organization=orgs[0], is_main=True,
                           password="bench-password").user
# Many customers file the new tickets: one sender's burst would (rightly) be a flood.
senders = [
    create_customer(email=f"buyer{i}@org{i % 50}.test", organization=orgs[i % 50],
                    scopes=["create_tickets", "billing_tickets"]).user
    for i in range(1, 401)
]
print(" ".join(create_api_token(user=u, name="bench") for u in senders))
admin = create_agent(email="admin@bench.test", code="ADM", role="admin",
                     password="x-bench-x").user
categories = list(Category.objects.all())
now = timezone.now()
rng = random.Random(7)
batch = []
total = int(os.environ["BENCH_TICKETS"])
for i in range(total):
    cat = rng.choice(categories)
    batch.append(Ticket(
        number=f"KF2020{i:07d}", organization=rng.choice(orgs), requester=customer,
        channel="api", subject=f"Bench ticket {i}", category=cat, team_id=cat.team_id,
        status=rng.choice(["new", "open", "pending_customer", "resolved", "closed"]),
        created_at=now - timedelta(minutes=i), updated_at=now - timedelta(minutes=i),
    ))
    if len(batch) == 5000:
        Ticket.objects.bulk_create(batch)
        batch = []
Ticket.objects.bulk_create(batch)
# Statistics and a visibility map, as a database that has held these tickets for a while has
# them (autovacuum's work); a bulk load followed at once by queries would be planned blind.
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
"""


# The floor under any create: a ticket, its first message, their two events and the inbound
# record, written through the ORM in one transaction, with nothing of the intake pipeline.
BARE_CREATE = """
import json, os, time, uuid
import django
django.setup()
from django.db import transaction
from django.utils import timezone
from kefu.accounts.models import User
from kefu.intake.models import InboundRecord
from kefu.tickets.models import Category, Message, Ticket, TicketEvent
from kefu.tickets.numbering import next_ticket_number
user = User.objects.select_related("account").get(email="bench@org0.test")
category = Category.objects.first()
def create():
    now = timezone.now()
    with transaction.atomic():
        record = InboundRecord.objects.create(channel="api", external_id=uuid.uuid4().hex,
                                              fingerprint="", sender=user.email,
                                              outcome="ticket", received_at=now)
        ticket = Ticket(number=next_ticket_number(now), requester=user, channel="api",
                        organization_id=user.account.organization_id, subject="floor",
                        category=category, team_id=category.team_id, created_at=now,
                        updated_at=now, last_public_at=now)
        ticket.save()
        TicketEvent.objects.create(ticket=ticket, kind="created", new=ticket.number)
        message = Message.objects.create(ticket=ticket, author=user, author_role="customer",
                                         channel="api", body="floor", created_at=now)
        TicketEvent.objects.create(ticket=ticket, kind="reply", new=message.pk)
        InboundRecord.objects.filter(pk=record.pk).update(ticket=ticket, message=message)
for _ in range(20):
    create()
latencies, began = [], time.time()
for _ in range(int(os.environ["BENCH_COUNT"])):
    started = time.perf_counter()
    create()
    latencies.append((time.perf_counter() - started) * 1000)
print(json.dumps([began, time.time(), latencies]))
"""


def bare_creates(env: dict[str, str], count: int, processes: int) -> tuple[list[float], float]:
    """``count`` bare creates in each of ``processes`` processes at once; the seconds from the
    first process's first measured create to the last one's last."""
    running = [
        subprocess.Popen([PYTHON, "-c", BARE_CREATE], env={**env, "BENCH_COUNT": str(count)},
                         cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for _ in range(processes)
    ]  # fmt: skip
    runs = [json.loads(process.communicate()[0]) for process in running]
    latencies = [ms for _, _, run in runs for ms in run]
    return latencies, max(end for _, end, _ in runs) - min(began for began, _, _ in runs)


@contextmanager
def server(env: dict[str, str], workers: int) -> Iterator[tuple[str, list[int]]]:
    """The API, and one worker that only derives the new tickets' triage (part of a create now,
    issue #18): the rest of the worker (timers, outbox) would share the two cores with them."""
    port = free_port()
    process = subprocess.Popen(
        [PYTHON, "-m", "kefu.cli", "serve", "--port", str(port), "--workers", str(workers),
         "--no-worker"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    triage = subprocess.Popen(
        [PYTHON, "-m", "kefu.cli", "worker", "--only", "triage-batches", "--no-tasks"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(url + "/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        children = subprocess.run(
            ["pgrep", "-P", str(process.pid)], capture_output=True, text=True
        ).stdout.split()
        yield url, [process.pid, *map(int, children), triage.pid]
    finally:
        for started in (process, triage):
            started.terminate()
            # `kefu serve` gives requests in flight up to 30 s (GRACE_SECONDS) to finish.
            started.wait(40)


# Watches the tickets created from now on, every 50 ms, until stdin closes and none is being
# triaged; prints, per ticket, how long after its creation stamp (taken before its transaction
# commits) it was first seen triaged, in ms: the lag from commit or a little more, plus up to one
# poll; and how long the worker took after the last create.
TRIAGE_WATCH = """
import json, select, sys, time
import django
django.setup()
from django.utils import timezone
from kefu.tickets.models import Ticket
last = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
waiting, lags, ended, seen_waiting = {}, [], None, 0
while True:
    now = timezone.now()
    for pk, created, triaging in Ticket.objects.filter(pk__gt=last).values_list(
            "pk", "created_at", "being_triaged"):
        last = max(last, pk)
        if triaging:
            waiting[pk] = created
            seen_waiting += 1
        else:
            lags.append((now - created).total_seconds() * 1000)
    if waiting:
        done = Ticket.objects.filter(pk__in=list(waiting), being_triaged=False)
        for pk in done.values_list("pk", flat=True):
            lags.append((now - waiting.pop(pk)).total_seconds() * 1000)
    if ended is None and select.select([sys.stdin], [], [], 0)[0] and not sys.stdin.read():
        ended = time.perf_counter()
    if ended is not None and not waiting and not Ticket.objects.filter(being_triaged=True).exists():
        break
    time.sleep(0.05)
print(json.dumps({"waited": time.perf_counter() - ended, "lags": lags, "seen": seen_waiting,
                  "waiting": Ticket.objects.filter(being_triaged=True).count()}))
"""


@contextmanager
def triage_watch(env: dict[str, str]) -> Iterator[dict]:
    """Yields a dict that holds the watcher's findings once the block has ended."""
    watcher = subprocess.Popen(
        [PYTHON, "-c", TRIAGE_WATCH], env=env, cwd=ROOT, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    found: dict = {}
    time.sleep(1.5)  # Django set up and the first poll made
    yield found
    out, _ = watcher.communicate("", timeout=600)
    found.update(json.loads(out))


def rss_mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


class Connection:
    """A minimal keep-alive HTTP/1.1 client: the load generator must cost far less CPU than
    the server it measures, and on a 2-core machine a general-purpose client does not."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str):
        self.reader, self.writer, self.host = reader, writer, host

    @classmethod
    async def open(cls, url: str) -> Connection:
        host, port = url.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        return cls(reader, writer, f"{host}:{port}")

    async def request(self, method: str, path: str, token: str, body: bytes = b"") -> int:
        return (await self.exchange(method, path, token, body))[0]

    async def exchange(
        self, method: str, path: str, token: str, body: bytes = b""
    ) -> tuple[int, bytes]:
        """The response's status and body (bench/mixed.py reads what a create returned)."""
        head = (f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n"
                f"Authorization: Bearer {token}\r\nContent-Length: {len(body)}\r\n")  # fmt: skip
        if body:
            head += "Content-Type: application/json\r\n"
        self.writer.write(head.encode() + b"\r\n" + body)
        status_line = await self.reader.readline()
        headers = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        content = b""
        if headers.get("transfer-encoding") == "chunked":
            while size := int((await self.reader.readline()).strip(), 16):
                content += (await self.reader.readexactly(size + 2))[:-2]
            await self.reader.readline()
        else:
            content = await self.reader.readexactly(int(headers.get("content-length", 0)))
        return int(status_line.split()[1]), content


async def timed_requests(
    url: str, tokens: list[str], count: int, concurrency: int, make_request, expected: int = 0
) -> tuple[list[float], float, int]:
    """``count`` requests over ``concurrency`` connections. Each token makes a run of
    len(MESSAGES) consecutive requests, so one sender's tickets are about different things."""
    latencies: list[float] = []
    failures = 0
    next_index = iter(range(count))

    async def client_loop() -> None:
        nonlocal failures
        connection = await Connection.open(url)
        for i in next_index:
            method, path, body = make_request(i)
            started = time.perf_counter()
            token = tokens[(i // len(MESSAGES)) % len(tokens)]
            status = await connection.request(method, path, token, body)
            latencies.append((time.perf_counter() - started) * 1000)
            failures += status != expected if expected else status >= 400
        connection.writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(client_loop() for _ in range(concurrency)))
    return latencies, time.perf_counter() - began, failures


# A realistic mix: both languages, every category, some tickets missing their evidence.
MESSAGES = [
    ("订单 {o} 物流一周没有更新", "运单号 SF{n} 从上周起就没有轨迹，请帮忙查一下货物在哪里。"),
    (
        "Order {o} arrived damaged",
        "12 of the 200 units in order {o} arrived cracked, photos attached later.",
    ),
    ("申请开具增值税专用发票", "上月的货款已经结清，订单 {o}，请开具增值税专用发票，抬头已更新。"),
    (
        "API webhook returns 403",
        "Since this morning our order webhook fails with AE-ERR-403 for {o}.",
    ),
    ("子账号无法登录", "采购子账号一直收不到短信验证码，换了手机也不行，编号 {n}。"),
    ("Cancel order {o}", "Please cancel {o}; our customer withdrew the purchase order yesterday."),
    ("商品详情页价格错误", "店铺商品 HX-{n} 的阶梯价格和后台设置的不一致，请核实。"),
    (
        "Customs hold for {o}",
        "Shipment {o} is held at LAX customs; they ask for a commercial invoice.",
    ),
    ("退款什么时候到账", "订单 {o} 的退款申请已通过三天了，还没有到账，请问进度。"),
    (
        "Question about promotion rules",
        "What store rating is needed to join the December campaign? Ref {n}.",
    ),
]


def create_request(i: int) -> tuple[str, str, bytes]:
    subject, body = MESSAGES[i % len(MESSAGES)]
    order = f"PO-{100000 + i}"
    payload = {"subject": subject.format(o=order, n=i), "body": body.format(o=order, n=i),
               "order_id": order if i % 3 else ""}  # fmt: skip
    return "POST", "/api/v1/tickets", json.dumps(payload).encode()


def refused_request(i: int) -> tuple[str, str, bytes]:
    """A create the API refuses (no subject): authentication, parsing and a 422, no writes."""
    return "POST", "/api/v1/tickets", json.dumps({"body": f"no subject {i}"}).encode()


def health_request(i: int) -> tuple[str, str, bytes]:
    return "GET", "/healthz", b""


def list_request(query: str):
    def request(i: int) -> tuple[str, str, bytes]:
        return "GET", f"/api/v1/tickets?page={1 + i % 20}&page_size=25{query}", b""

    return request


def run(kind: str, args: argparse.Namespace) -> list[tuple]:
    rows = []
    costs: dict[str, object] = {}
    # Its own database name: another run beside this one would drop a shared one.
    with database(kind, args.pg_url, f"kefu_bench_{os.getpid()}") as env:
        env["KEFU_DERIVE_NEW_TICKETS"] = args.derive
        kefu(env, "migrate", "-v0")
        seed_started = time.perf_counter()
        seeded_out = subprocess.run(
            [PYTHON, "-c", SEED], env={**env, "BENCH_TICKETS": str(args.tickets)},
            cwd=ROOT, check=True, capture_output=True, text=True,
        )  # fmt: skip
        senders = seeded_out.stdout.split()
        seeded = time.perf_counter() - seed_started
        customer = [kefu(env, "token", "create", "--email", "bench@org0.test").split()[-1]]
        admin = [kefu(env, "token", "create", "--email", "admin@bench.test").split()[-1]]
        # SQLite has one writer: a second process only adds waiting in its busy handler (the
        # writers of one process queue in order, see kefu/tickets/work.py).
        workers = 1 if kind == "sqlite" else args.workers
        with server(env, workers) as (url, pids):
            asyncio.run(timed_requests(url, senders[-10:], 50, 4, create_request))
            cases = [
                ("create", senders, args.creates, args.concurrency, create_request),
                ("list (admin, all)", admin, args.lists, 4, list_request("")),
                ("list (customer)", customer, args.lists, 4, list_request("")),
                ("list (filtered)", admin, args.lists, 4,
                 list_request("&status=open&category=payment_billing")),
            ]  # fmt: skip
            meter = CpuMeter(pids, env.get("KEFU_DATABASE_URL"))
            for name, token, count, concurrency, request in cases:
                watched: AbstractContextManager[dict] = (
                    triage_watch(env) if name == "create" else nullcontext({})
                )
                with watched as triaged:
                    before = meter.read()
                    latencies, elapsed, failures = asyncio.run(
                        timed_requests(url, token, count, concurrency, request)
                    )
                if name == "create":  # the worker's part is a create's too
                    costs["cpu"] = meter.per_unit(before, meter.read(), count - failures)
                    if args.derive == "batched":
                        rows.append(triage_row(kind, count, concurrency, elapsed, triaged, pids))
                        costs["seen_waiting"] = (triaged["seen"], count)
                rows.append((kind, name, count, concurrency, count / elapsed,
                             statistics.median(latencies), percentile(latencies, 0.95),
                             percentile(latencies, 0.99), failures, rss_mib(pids)))  # fmt: skip
            for name, token, request, expected in (
                ("floor: GET /healthz", admin, health_request, 200),
                ("floor: POST refused (auth, parse, 422)", senders, refused_request, 422),
            ):
                latencies, elapsed, failures = asyncio.run(
                    timed_requests(url, token, args.creates, args.concurrency, request, expected)
                )
                rows.append((kind, name, args.creates, args.concurrency, args.creates / elapsed,
                             statistics.median(latencies), percentile(latencies, 0.95),
                             percentile(latencies, 0.99), failures, rss_mib(pids)))  # fmt: skip
        counted = subprocess.run(
            [PYTHON, str(ROOT / "bench" / "cost.py"), "--count", "20", "--profile",
             str(args.profile)], env={**env, "BENCH_TOKENS": " ".join(senders)}, cwd=ROOT,
            capture_output=True, text=True,
        )  # fmt: skip
        if counted.returncode:
            raise SystemExit(f"bench/cost.py failed:\n{counted.stderr[-3000:]}")
        print(counted.stderr, file=sys.stderr, end="")
        costs["statements"] = json.loads(counted.stdout)
        latencies, elapsed = bare_creates(env, args.creates // workers, workers)
        rows.append((kind, "floor: bare create writes, in-process", len(latencies), workers,
                     len(latencies) / elapsed, statistics.median(latencies),
                     percentile(latencies, 0.95), percentile(latencies, 0.99), 0, 0))  # fmt: skip
    print(f"  ({kind}: seeded {args.tickets:,} tickets in {seeded:.1f}s)", file=sys.stderr)
    print_costs(kind, costs, args.statements)
    return rows


def triage_row(kind: str, count: int, concurrency: int, elapsed: float, triaged: dict,
               pids: list[int]) -> tuple:  # fmt: skip
    """Creates per second until the last was derived; the lags from creation to derivation."""
    lags = triaged["lags"] or [0.0]
    rate = count / (elapsed + triaged["waited"])
    return (kind, "create → triaged by the worker (lag)", count, concurrency, rate,
            statistics.median(lags), percentile(lags, 0.95), percentile(lags, 0.99),
            triaged["waiting"], rss_mib(pids))  # fmt: skip


def print_costs(kind: str, costs: dict, statements: bool) -> None:
    """Per new ticket: statements (counted in a bench-side process with the server's settings,
    warm caches) and CPU (the server's processes and the database's backends over the timed
    creates, see bench/cost.py)."""
    app_ms, pg_ms = costs["cpu"]
    counted = costs["statements"]
    pg = f", PostgreSQL CPU {pg_ms:.2f} ms" if kind == "postgres" else ""
    print(f"\n{kind}: per new ticket {counted['per_create']:.1f} SQL statements, "
          f"app CPU {app_ms:.2f} ms{pg}")  # fmt: skip
    if counted["per_triage"]:
        print(f"{kind}: and {counted['per_triage']:.1f} statements per ticket in the worker's "
              "triage batch (included in the CPU)")  # fmt: skip
    if "seen_waiting" in costs:
        seen, count = costs["seen_waiting"]
        print(f"{kind}: {seen:,} of {count:,} new tickets were seen waiting for the worker; the "
              "others were derived by their callers while it was behind, or by the worker "
              "before the watcher's next look (every 50 ms)")  # fmt: skip
    if statements:
        for share, sql in counted["kinds"]:
            print(f"  {share:4.1f} × {sql}")
        print("  in the triage batch:")
        for share, sql in counted["triage_kinds"]:
            print(f"  {share:4.1f} × {sql}")
    for profile in ("profile", "triage_profile"):
        if counted.get(profile):
            print(counted[profile])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--creates", type=int, default=2000)
    parser.add_argument("--lists", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--derive",
        choices=["inline", "batched"],
        default="inline",
        help="where new tickets' triage is derived (KEFU_DERIVE_NEW_TICKETS)",
    )
    parser.add_argument(
        "--statements", action="store_true", help="list the statements of a create, by kind"
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        help="profile this many creates in-process and print the top items",
    )
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    rows = [row for kind in kinds for row in run(kind, args)]
    header = ("db", "case", "requests", "conc.", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors",
              "server MiB")  # fmt: skip
    print(f"\nKefu API benchmark — {args.tickets:,} tickets in the database, "
          f"{args.workers} server workers on PostgreSQL (one on SQLite), "
          f"{os.cpu_count()} CPUs")  # fmt: skip
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        kind, name, count, conc, rate, p50, p95, p99, errors, mem = row
        print(f"| {kind} | {name} | {count} | {conc} | {rate:,.0f} | {p50:.1f} | {p95:.1f} | "
              f"{p99:.1f} | {errors} | {f'{mem:.0f}' if mem else '-'} |")  # fmt: skip


if __name__ == "__main__":
    main()
