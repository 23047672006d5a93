"""Email intake benchmark: raw messages through ``deliver()`` (parse → pipeline → commit).

The corpus is the shared real-world mail (../shared/data/emails, when present) plus Kefu's own
fixtures, each round with fresh Message-IDs so that every message is new. The per-sender storm
limit is lifted (the same senders recur every round); its query still runs. Prints throughput,
latency percentiles and peak memory per database, with one delivering process (one SMTP or
IMAP worker) and with several at once (several workers sharing the mail), and beside them the
floor: how fast the same processes only parse, reply-split and mask the corpus (no database).

    .venv/bin/python bench/email.py                      # SQLite and PostgreSQL, 1 and 2 processes
    .venv/bin/python bench/email.py --db postgres --rounds 10 --processes 1 4
    .venv/bin/python bench/email.py --db postgres --processes 1 --tree /tmp/base --profile 2

Each database is a scratch one (a temporary SQLite file; ``kefu_bench_email_<pid>`` on the local
PostgreSQL, created and dropped here), migrated first.

``--tree`` measures another checkout's ``kefu`` (an earlier release in a temporary worktree)
with this bench, corpus and resolver, so that two trees' figures compare. Mail authentication
asks a fake DNS server that this process runs on 127.0.0.1 (every name NXDOMAIN: the senders'
domains are new each round), never the system's resolver, whose timeouts would be the noise.
``--profile N`` runs N more rounds in one process under cProfile and prints where time goes.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, Python puts bench/ first on the path, where this file would shadow the
# standard library's email package: the repository root takes its place.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import contextlib
import json
import os
import re
import resource
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Callable

from bench.common import database, percentile
from bench.cost import counting_statements, cpu_seconds

ROOT = Path(__file__).resolve().parents[1]
# The shared mail beside the repository (/work/main → /work/shared), or beside the folder of
# worktrees (/work/wt/<name> → /work/shared).
SHARED = next(
    (path for up in (ROOT.parent, ROOT.parent.parent)
     if (path := up / "shared" / "data" / "emails").is_dir()),
    ROOT.parent / "shared" / "data" / "emails",
)  # fmt: skip
OWN = ROOT / "kefu" / "lib" / "tests" / "fixtures" / "emails"
MESSAGE_ID = re.compile(rb"^Message-ID:[^\n]*\n", re.IGNORECASE | re.MULTILINE)
SENDER = re.compile(rb"^From:[^\n@]*@", re.IGNORECASE | re.MULTILINE)  # up to the domain
MAILBOXES = ("service", "merchant", "complaint")


def corpus() -> list[bytes]:
    paths = sorted(SHARED.glob("*.eml")) if SHARED.is_dir() else []
    return [p.read_bytes() for p in [*paths, *sorted(OWN.glob("*.eml"))]]


def fresh(raw: bytes, name: str) -> bytes:
    """The message as a new one: its own Message-ID, and a sender domain of this round (the
    same text from the same sender would otherwise be appended to the earlier ticket)."""
    header = f"Message-ID: <bench-{name}@bench.example>\r\n".encode()
    head_end = raw.find(b"\n\n") if b"\n\n" in raw else len(raw)
    found = MESSAGE_ID.search(raw, 0, head_end)
    if found:
        raw = raw[: found.start()] + header + raw[found.end() :]
    else:
        raw, head_end = header + raw, head_end + len(header)
    sender = SENDER.search(raw, 0, head_end)
    if sender:
        raw = raw[: sender.end()] + f"r{name.split('-')[0]}.".encode() + raw[sender.end() :]
    return raw


def timed_round(
    name: str, share: tuple[int, int], step: Callable[[bytes, str], object]
) -> list[float]:
    """This process's share of the corpus, each message fresh, through ``step``; the seconds
    each one took."""
    mine, of = share
    latencies = []
    for index, raw in enumerate(corpus()):
        if index % of != mine:
            continue
        message = fresh(raw, f"{name}-{index}")
        begin = time.perf_counter()
        step(message, MAILBOXES[index % 3])
        latencies.append(time.perf_counter() - begin)
    return latencies


def deliver_round(name: str, share: tuple[int, int], outcomes: Counter[str]) -> list[float]:
    from kefu.intake.email.inbound import deliver

    def step(raw: bytes, mailbox: str) -> None:
        outcomes[deliver(raw, mailbox).outcome] += 1

    return timed_round(name, share, step)


def parse_round(name: str, share: tuple[int, int]) -> list[float]:
    """The floor under the pipeline: parse, thread-split and mask each message, no database."""
    from kefu.intake.email.inbound import to_inbound
    from kefu.intake.ingest import _mask
    from kefu.lib.mime import NotAnEmailError, parse_email

    def step(raw: bytes, mailbox: str) -> None:
        with contextlib.suppress(NotAnEmailError):  # the pipeline quarantines it
            _mask(to_inbound(parse_email(raw), raw, mailbox))

    return timed_round(name, share, step)


def profiled(rounds: int) -> str:
    """Where ``deliver()``'s CPU goes over ``rounds`` more rounds (this process's CPU time, so
    that waiting for PostgreSQL or for other work on the machine does not count): Kefu's own
    functions by cumulative time, then everything by own time."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for n in range(rounds):
        deliver_round(f"prof{n}", (0, 1), Counter())
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(r"/kefu/", 60)
    stats.sort_stats("tottime").print_stats(30)
    return out.getvalue()


def worker(rounds: int, share: tuple[int, int], sync: Path, profile: int) -> dict:
    """One delivering process: warm up, wait for the others, deliver its share of each round."""
    import logging

    import django

    import kefu

    django.setup()
    from kefu.intake import ingest

    logging.disable(logging.WARNING)  # the quarantined messages of the corpus are expected

    ingest.STORM_LIMIT = 10**9
    deliver_round(f"w{share[0]}", share, Counter())
    (sync / f"ready-{share[0]}").touch()
    while not (sync / "go").exists():
        time.sleep(0.01)
    outcomes: Counter[str] = Counter()
    # The database's CPU: this process's backend (PostgreSQL on this machine), read from /proc.
    from django.db import connection

    backend = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
    pg_before, app_before = cpu_seconds(backend) if backend else 0.0, time.process_time()
    with counting_statements() as statements:
        latencies = [t for n in range(rounds) for t in deliver_round(str(n), share, outcomes)]
    finished = time.time()
    pg_cpu = (cpu_seconds(backend) - pg_before) if backend else 0.0
    app_cpu = time.process_time() - app_before
    return {
        "latencies": latencies,
        "finished": finished,
        "parse": [t for n in range(rounds) for t in parse_round(f"p{n}", share)],
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "outcomes": dict(outcomes),
        "statements": sum(statements.values()),
        "pg_cpu": pg_cpu,
        "app_cpu": app_cpu,
        "kefu": str(Path(kefu.__file__).parent),
        "profile": profiled(profile) if profile and share[0] == 0 else "",
    }


def measure(kind: str, processes: int, args: argparse.Namespace, dns: str) -> dict:
    # Its own database name: another run beside this one would drop a shared one.
    name = f"kefu_bench_email_{os.getpid()}"
    tree = str(args.tree.resolve())
    with database(kind, args.pg_url, name) as env, tempfile.TemporaryDirectory() as sync:
        env |= {"PYTHONPATH": tree, "KEFU_MAIL_DNS_SERVERS": dns}  # that tree's kefu, our DNS
        subprocess.run([sys.executable, "-m", "kefu.cli", "migrate", "-v", "0"], env=env,
                       cwd=tree, check=True)  # fmt: skip
        command = [sys.executable, __file__, "--rounds", str(args.rounds), "--sync", sync,
                   "--tree", tree, "--profile", str(args.profile)]  # fmt: skip
        running = [
            subprocess.Popen(
                [*command, "--worker", f"{i}/{processes}"],
                env=env,
                cwd=tree,
                stdout=subprocess.PIPE,
                text=True,
            )
            for i in range(processes)
        ]
        while len(list(Path(sync).glob("ready-*"))) < processes:
            if any(p.poll() not in (None, 0) for p in running):
                raise SystemExit(f"a {kind} worker failed")
            time.sleep(0.05)
        started = time.time()
        (Path(sync) / "go").touch()
        results = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in running]
    latencies = [t for r in results for t in r["latencies"]]
    outcomes: Counter[str] = Counter()
    for result in results:
        outcomes.update(result["outcomes"])
    return {
        "messages": len(latencies),
        "per_second": len(latencies) / (max(r["finished"] for r in results) - started),
        "p50": percentile(latencies, 0.50) * 1000,
        "p95": percentile(latencies, 0.95) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
        "peak_mb": max(r["peak_mb"] for r in results),
        # The floor, per process, added up (each process parses its share alone, afterwards).
        "parse_per_second": sum(len(r["parse"]) / sum(r["parse"]) for r in results),
        "outcomes": outcomes,
        # Per inbound mail: SQL statements, the app's CPU and PostgreSQL's (ms).
        "statements": sum(r["statements"] for r in results) / len(latencies),
        "app_ms": sum(r["app_cpu"] for r in results) * 1000 / len(latencies),
        "pg_ms": sum(r["pg_cpu"] for r in results) * 1000 / len(latencies),
        "kefu": results[0]["kefu"],
        "profile": results[0]["profile"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds over the corpus")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--tree", type=Path, default=ROOT,
                        help="the checkout whose kefu to measure (default: this one)")  # fmt: skip
    parser.add_argument("--profile", type=int, default=0, metavar="ROUNDS",
                        help="rounds to run under cProfile afterwards, in one process")  # fmt: skip
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--sync", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        sys.path.insert(0, str(args.tree))  # that tree's kefu (bench's own modules are loaded)
        mine, of = map(int, args.worker.split("/"))
        print(json.dumps(worker(args.rounds, (mine, of), Path(args.sync), args.profile)))
        return
    from kefu.intake.email.fakedns import FakeDns

    dns = FakeDns()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    shared = "with" if SHARED.is_dir() else "WITHOUT (not found)"
    print(f"corpus: {len(corpus())} messages, {shared} the shared set; "
          f"{args.rounds} measured rounds after a warm-up round")  # fmt: skip
    print(f"kefu: {args.tree.resolve()} ({_commit(args.tree)}); resolver: the bench's fake DNS "
          f"on {dns.address} (every name NXDOMAIN), KEFU_MAIL_DNS_SERVERS")  # fmt: skip
    print("floor msg/s: parsing, reply-splitting and masking alone (no database), in the same "
          "processes; stmts, app ms, PG ms: SQL statements, the delivering process's CPU and "
          "its PostgreSQL backend's CPU per message")  # fmt: skip
    print(f"{'database':<10} {'procs':>5} {'msgs':>6} {'msg/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p99 ms':>7} {'peak MB':>8} {'floor msg/s':>12} {'stmts':>6} {'app ms':>7} "
          f"{'PG ms':>6}  outcomes")  # fmt: skip
    for kind in kinds:
        for processes in args.processes:
            row = measure(kind, processes, args, dns.address)
            assert row["kefu"] == str(args.tree.resolve() / "kefu"), row["kefu"]
            outcomes = ", ".join(f"{k} {v}" for k, v in sorted(row["outcomes"].items()))
            print(f"{kind:<10} {processes:>5} {row['messages']:>6} {row['per_second']:>7.1f} "
                  f"{row['p50']:>7.1f} {row['p95']:>7.1f} {row['p99']:>7.1f} "
                  f"{row['peak_mb']:>8.0f} {row['parse_per_second']:>12.0f} "
                  f"{row['statements']:>6.1f} {row['app_ms']:>7.2f} {row['pg_ms']:>6.2f}  "
                  f"{outcomes}")  # fmt: skip
            if row["profile"]:
                print(row["profile"])


def _commit(tree: Path) -> str:
    """The tree's commit, for the table's heading."""
    run = subprocess.run(["git", "-C", str(tree), "log", "-1", "--format=%h %s"],
                         capture_output=True, text=True)  # fmt: skip
    return run.stdout.strip()[:72] or "not a git checkout"


if __name__ == "__main__":
    main()
