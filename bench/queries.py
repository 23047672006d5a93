"""Statements per ticket change: what an agent's desk reply, a customer's portal reply and a new
email ticket cost in queries, and which modules ask them.

Runs in-process on a scratch database (migrated, with the test personas), through the same
entry points people use: the desk's reply form, the portal's reply form and mail delivery. Each
operation is measured on a fresh ticket after a warm-up, so per-process caches are warm as in a
running server.

    .venv/bin/python bench/queries.py                 # SQLite and PostgreSQL
    .venv/bin/python bench/queries.py --db postgres --modules
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import json
import os
import subprocess
import traceback
from collections import Counter
from collections.abc import Callable

from bench.common import database

ROOT = Path(__file__).resolve().parents[1]
PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
MAIL = """From: Anna <anna@acme.test>
To: service@kefu.example.com
Subject: 订单 PO-{n} 物流没有更新
Message-ID: <queries-{n}@acme.test>
Content-Type: text/plain; charset=utf-8

订单 PO-{n} 一周没有物流轨迹，请帮忙查一下。截图见附件说明，错误码 AE-ERR-403。
"""


def _origin(frames: list[traceback.FrameSummary]) -> str:
    """The innermost Kefu module (outside the database plumbing) that asked the query."""
    for frame in reversed(frames):
        path = frame.filename
        if "/kefu/" in path and "/site-packages/" not in path:
            return path.split("/kefu/", 1)[1].removesuffix(".py").replace("/", ".")
    return "(django)"


def _count(run: Callable[[], object]) -> tuple[int, Counter[str]]:
    from django.db import connection

    origins: Counter[str] = Counter()

    def watch(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        origins[_origin(traceback.extract_stack())] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        run()
    return sum(origins.values()), origins


def _operations() -> dict[str, Callable[[int], object]]:
    from django.test import Client

    from kefu.intake.email.inbound import deliver
    from kefu.testing import make_personas, make_ticket

    personas = make_personas()
    desk, portal = Client(), Client()
    desk.force_login(personas.alice)
    portal.force_login(personas.anna)

    def agent_reply(n: int) -> object:
        ticket = make_ticket(personas.anna)
        return lambda: desk.post(f"/desk/t/{ticket.number}/", {"body": f"已为您查询 {n}。"})

    def customer_reply(n: int) -> object:
        ticket = make_ticket(personas.anna)
        return lambda: portal.post(f"/portal/t/{ticket.number}/", {"body": f"还没到 {n}"})

    def email_ticket(n: int) -> object:
        raw = MAIL.format(n=n).encode()
        return lambda: deliver(raw, mailbox="service")

    return {
        "agent reply (desk)": agent_reply,
        "customer reply (portal)": customer_reply,
        "new email ticket": email_ticket,
    }


def measure(rounds: int) -> dict[str, dict[str, object]]:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    results: dict[str, dict[str, object]] = {}
    for name, prepare in _operations().items():
        counts, origins = [], Counter[str]()
        for n in range(rounds + 1):
            run = prepare(1000 * len(results) + n)
            total, by_module = _count(run)  # type: ignore[arg-type]
            if n:  # the first round warms the per-process caches
                counts.append(total)
                origins = by_module
        results[name] = {"queries": sorted(counts)[len(counts) // 2], "modules": dict(origins)}
    return results


def _child(kind: str, rounds: int) -> dict[str, dict[str, object]]:
    with database(kind, PG_URL, "kefu_bench_queries") as env:
        out = subprocess.run(
            [sys.executable, __file__, "--child", "--rounds", str(rounds)],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", nargs="*", default=["sqlite", "postgres"])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--modules", action="store_true", help="list the modules per operation")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
        print(json.dumps(measure(args.rounds)))
        return
    print(f"{'operation':<26} {'database':<10} {'queries':>8} {'modules':>8}")
    for kind in args.db:
        for name, row in _child(kind, args.rounds).items():
            modules: dict[str, int] = row["modules"]  # type: ignore[assignment]
            print(f"{name:<26} {kind:<10} {row['queries']:>8} {len(modules):>8}")
            if args.modules:
                for module, count in sorted(modules.items(), key=lambda item: -item[1]):
                    print(f"{'':<37} {count:>4}  {module}")


if __name__ == "__main__":
    main()
