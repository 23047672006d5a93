"""Ticket search at scale: 1,000,000 tickets with bilingual bodies on PostgreSQL, 200,000 on
SQLite; p50/p95 latency of what ``GET /api/v1/tickets?q=`` does (rank, count, a page of 25
rows with snippets), per kind of query, with and without filters, beside floor rows.

    .venv/bin/python bench/search.py --db postgresql --tickets 1000000 --keep   # seed and keep
    .venv/bin/python bench/search.py --db postgresql --reuse                    # measure again
    .venv/bin/python bench/search.py --db sqlite --tickets 200000

Tickets, their first message and their search documents are written in bulk (COPY on
PostgreSQL, ``executemany`` on SQLite), documents tokenized by the real ``search.tokens``: each
body is two to four sentences drawn from a bilingual pool, so 发票, 退款 and 物流 each occur in
10-15 % of the tickets — the hard case, a common 2-character word. Relevance ranks only the
newest ``search.queries.CANDIDATES`` matches (see that module): PostgreSQL reads windows of the
newest ids, walking the newest documents for a common term, intersecting a wider window with the
full-text index for a rarer one, the index alone for a rare one.

Every query's plan is checked with EXPLAIN (on PostgreSQL, its first window's): on PostgreSQL it
must read the GIN index, walk the documents by primary key (one per ticket, newest first) or
walk an index of the tickets checking each one's document by primary key, never scan the
tickets or documents whole; on SQLite it must read the FTS5 index.

``--keep`` leaves the database ``kefu_bench_search`` (or the SQLite file) in place; ``--reuse``
measures on it again.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import json
import os
import random
import resource
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

from bench.common import percentile, scratch_postgres, time_calls

PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DB_NAME = "kefu_bench_search"
SQLITE_DIR = Path(tempfile.gettempdir()) / "kefu_bench_search"
SQLITE_FILE = SQLITE_DIR / "kefu.sqlite3"  # where kefu.settings puts it in KEFU_DATA_DIR
TARGET_MS = {"postgresql": 50.0, "sqlite": 100.0}
CHUNK = 20_000
ORGS, CUSTOMERS = 500, 5000

ZH = (
    "请尽快开具发票", "发票抬头写错了需要重开", "增值税专用发票还没收到", "发票金额和订单不一致",
    "申请退款已经一周了", "退款什么时候到账", "商品有质量问题要求退款", "退款申请被拒绝了",
    "物流信息一直没有更新", "物流显示已签收但没收到", "请帮忙催一下物流", "更换物流公司",
    "包裹在海关被扣留", "收货地址需要修改", "订单状态显示异常", "账号被误判为违规",
    "大促期间系统崩溃无法下单", "批量打印面单失败", "店铺评分下降了", "优惠券无法使用",
    "支付成功但订单未生成", "商品描述与实物不符", "客服一直没有回复", "希望尽快处理谢谢",
    "售后维修需要多久", "退货运费由谁承担", "库存同步出错", "价格设置不生效",
)  # fmt: skip
EN = (
    "The invoice for this order is missing.", "We requested refunds for damaged items.",
    "Tracking has not updated for five days.", "The parcel was returned to the sender.",
    "Please expedite the shipment.", "Our account was suspended by mistake.",
    "Checkout fails with an error during the promotion.", "Label printing failed for the batch.",
    "The buyer says the goods arrived broken.", "Payment was charged twice.",
    "We need a copy of the customs declaration.", "Stock levels are not syncing.",
    "The coupon cannot be applied at checkout.", "Thanks for your quick help.",
)  # fmt: skip
SUBJECTS = ("订单问题", "发票问题", "退款进度", "物流查询", "Order question", "Refund status",
            "Shipment delayed", "账号问题", "Invoice request", "售后服务")  # fmt: skip
ERRORS = ("AE-ERR-403", "AE-ERR-500", "PAY-ERR-102", "SHIP-ERR-7")
STATUSES = ("resolved",) * 12 + ("closed",) * 4 + ("open",) * 2 + ("new", "pending_customer")


def setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
    os.environ.pop("PYTEST_VERSION", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# --- seeding --------------------------------------------------------------------------------


def _people() -> tuple[list[tuple[int, int, str, str, str]], dict[str, int]]:
    """Organisations and customers: (user id, org id, name, e-mail, org name) per customer."""
    from kefu.accounts.models import Organization, Team, User

    orgs = Organization.objects.bulk_create(
        Organization(
            name=f"{random.choice(['星河', '远航', 'Blue', 'Nova'])}贸易 {n}", code=f"org{n}"
        )
        for n in range(ORGS)
    )
    users = User.objects.bulk_create(
        User(email=f"buyer{n}@shop{n % ORGS}.test", name=f"Buyer {n}", password="!")
        for n in range(CUSTOMERS)
    )
    people = [(u.pk, orgs[n % ORGS].pk, u.name, u.email, orgs[n % ORGS].name)
              for n, u in enumerate(users)]  # fmt: skip
    teams = dict(Team.objects.values_list("code", "pk"))
    return people, teams


def _tokenized(pool: tuple[str, ...]) -> list[tuple[str, str]]:
    from kefu.search.tokens import document

    return [(text, document([text])) for text in pool]


def generate(count: int, seed: int = 13) -> Iterator[tuple[dict[str, Any], str, tuple[str, str]]]:
    """Per ticket: its columns, its first message, and its document's head and body."""
    from django.utils import timezone

    from kefu.search.tokens import document

    rng = random.Random(seed)
    people, teams = _people()
    team_ids = list(teams.values())
    sentences = _tokenized(ZH) + _tokenized(ZH) + _tokenized(EN)  # two Chinese to one English
    subjects = _tokenized(SUBJECTS)
    start = timezone.now() - timedelta(days=730)
    step = 730 * 86400 / count
    for n in range(count):
        user_id, org_id, name, email, org_name = people[rng.randrange(len(people))]
        subject, subject_tokens = subjects[rng.randrange(len(subjects))]
        chosen = [sentences[rng.randrange(len(sentences))] for _ in range(rng.randint(2, 4))]
        order_id, error = f"PO-{n:08d}", rng.choice(ERRORS) if rng.random() < 0.05 else ""
        body = " ".join(text for text, _ in chosen) + f" {order_id}"
        created = start + timedelta(seconds=n * step)
        number, shipment = f"KB{n:010d}", f"SF{n:010d}"
        ticket = {"id": n + 1, "number": number, "subject": subject, "order_id": order_id,
                  "shipment_code": shipment, "error_code": error, "requester_id": user_id,
                  "organization_id": org_id, "team_id": team_ids[n % len(team_ids)],
                  "status": STATUSES[rng.randrange(len(STATUSES))],
                  "channel": rng.choice(["web", "email", "chat", "api"]),
                  "created_at": created, "updated_at": created}  # fmt: skip
        codes = [number, order_id, shipment, error]
        head = f"{subject_tokens} {document([*codes, name, email, org_name, f'org{org_id}'])}"
        tokens = " ".join(t for _, t in chosen) + f" {document([order_id])}"
        yield ticket, body, (head, tokens)


def _ticket_columns() -> tuple[list[str], dict[str, Any]]:
    from kefu.tickets.models import Ticket

    defaults: dict[str, Any] = {}
    for f in Ticket._meta.concrete_fields:
        value = f.get_default()
        if f.column:  # (every concrete field has one)
            defaults[f.column] = json.dumps(value) if isinstance(value, (list, dict)) else value
    return list(defaults), defaults


def seed(count: int) -> float:
    """Write ``count`` tickets with a message and a document each; seconds taken."""
    from django.db import connection

    from kefu.search.documents import FILTER_COLUMNS
    from kefu.search.tokens import filter_token

    began = time.perf_counter()
    columns, defaults = _ticket_columns()
    message_columns = ["ticket_id", "author_id", "author_role", "is_internal", "channel", "body",
                       "body_full", "html", "created_at"]  # fmt: skip
    pg = connection.vendor == "postgresql"
    if pg:
        _drop_pg_indexes()
    batch: tuple[list[Any], list[Any], list[Any]] = ([], [], [])
    for ticket, body, (head, tokens) in generate(count):
        row = {**defaults, **ticket}
        batch[0].append([row[c] for c in columns])
        batch[1].append([ticket["id"], ticket["requester_id"], "customer", False,
                         ticket["channel"], body, "", "", ticket["created_at"]])  # fmt: skip
        tags = " ".join(filter_token(c, row[c]) for c in FILTER_COLUMNS)
        batch[2].append([ticket["id"], f"{head} {tags}", tokens, ""])
        if len(batch[0]) == CHUNK:
            _write(columns, message_columns, batch)
            batch = ([], [], [])
            print(f"  {ticket['id']:,} tickets", file=sys.stderr)
    _write(columns, message_columns, batch)
    with connection.cursor() as cursor:
        if pg:
            _create_pg_indexes(cursor)
            cursor.execute("SELECT setval('tickets_ticket_id_seq', %s)", [count + 1])
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
    return time.perf_counter() - began


def _write(columns: list[str], message_columns: list[str], batch: tuple[list[Any], ...]) -> None:
    from django.db import connection, transaction

    documents = ["ticket_id", "head", "body", "notes"]
    tables = (("tickets_ticket", columns, batch[0]),
              ("tickets_message", message_columns, batch[1]),
              ("search_ticketdocument", documents, batch[2]))  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        for table, names, rows in tables:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(names))
                cursor.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})",
                                   rows)  # fmt: skip


# Secondary indexes are built once after the COPY, as a restore does (much faster than
# maintaining them row by row); the primary keys stay.
_PG_INDEXED = ("tickets_ticket", "tickets_message", "search_ticketdocument")
_saved_indexes: list[str] = []


def _drop_pg_indexes() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
            "AND indexname NOT LIKE '%%pkey' AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
            [list(_PG_INDEXED)],
        )
        for name, definition in cursor.fetchall():
            _saved_indexes.append(definition)
            cursor.execute(f"DROP INDEX {name}")


def _create_pg_indexes(cursor: Any) -> None:
    cursor.execute("SET maintenance_work_mem = '512MB'")
    for definition in _saved_indexes:
        cursor.execute(definition)


# --- measuring ------------------------------------------------------------------------------


def _api_search(viewer: Any, **filters: Any) -> Callable[[], object]:
    """What ``GET /api/v1/tickets?q=…`` does: rank, count, a page of 25 rows with snippets."""
    from kefu.tickets import queries

    chosen = queries.TicketFilters(**filters)

    def call() -> object:
        queries.forget_counts()  # no count kept from the run before
        tickets = queries.list_tickets(viewer, chosen)
        queries.count_up_to(viewer, chosen, 10_000)
        return queries.ticket_rows(tickets, 0, 25, staff=viewer.is_agent, query=chosen.q)

    return call


def check_plan(viewer: Any, query: str, **filters: Any) -> str:
    """The candidate query's plan must use the search index or an index of the tickets, never
    a whole-table scan; returns the indexes it used."""
    from django.db import connection

    from kefu.search import queries as search
    from kefu.tickets import queries

    chosen = queries.TicketFilters(**filters)
    tickets = queries._filtered(viewer, chosen)
    required = queries.search_required(viewer, chosen)
    staff = viewer.is_agent
    window = search.first_window(query, staff=staff, required=required)
    plan = search.candidate_rows(tickets, query, staff=staff, required=required,
                                 window=window).explain()  # fmt: skip
    if connection.vendor == "postgresql":
        assert not any(f"Seq Scan on {t}" in plan for t in _PG_INDEXED), plan
        used = [n for n in ("search_ticketdocument_gin", "search_ticketdocument_pkey",
                            "ticket_recent", "ticket_org_recent", "ticket_team_queue",
                            "ticket_status_score") if n in plan]  # fmt: skip
    else:
        full_scans = [line for line in plan.splitlines()
                      if "SCAN tickets_ticket" in line and "INDEX" not in line]  # fmt: skip
        assert not full_scans and "VIRTUAL TABLE INDEX" in plan, plan
        used = ["fts5"]
    assert used, plan
    return "+".join(used)


def _index_size() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size('search_ticketdocument'), "
                           "pg_relation_size('search_ticketdocument_gin')")  # fmt: skip
            table, gin = cursor.fetchone()
            return f"documents {table / 2**20:,.0f} MiB, of which GIN {gin / 2**20:,.0f} MiB"
        cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search_ticketdocument%'")
        total = cursor.fetchone()[0] or 0
        return f"documents and FTS5 {total / 2**20:,.0f} MiB"


def measure(args: argparse.Namespace, seeded: float) -> None:
    from django.db import connection

    from kefu.accounts.access import viewer_for
    from kefu.accounts.models import User
    from kefu.tickets.models import Ticket

    admin = viewer_for(User.objects.get(email="ada@kefu.test"))
    count = Ticket.objects.count()
    known = Ticket.objects.order_by("-id").values_list("order_id", "requester__email")[1234]
    org_name = Ticket.objects.order_by("-id").values_list("organization__name", flat=True)[77]
    queries = [("2-char zh 发票", "发票"), ("2-char zh 退款", "退款"), ("2-char zh 物流", "物流"),
               ("longer zh 退款申请", "退款申请"), ("longer zh 物流信息更新", "物流信息更新"),
               ("English refunds", "refunds"), ("English tracking", "tracking"),
               ("order id", known[0]), ("e-mail", known[1]), ("organisation", org_name),
               ("error code", "AE-ERR-403")]  # fmt: skip
    filters = {"status": "open", "team": "orders"}
    rows = []
    for name, query in queries:
        for label, chosen in (("", {}), (" + status, team", filters)):
            plan = check_plan(admin, query, **chosen)
            samples = time_calls(_api_search(admin, q=query, **chosen), args.runs)
            rows.append((name + label, samples, plan))
    pk = Ticket.objects.order_by("-id").values_list("pk", flat=True)[500]
    floor_pk = time_calls(lambda: list(Ticket.objects.filter(pk=pk).values_list("number")),
                          args.runs)  # fmt: skip
    floor_list = time_calls(_api_search(admin, **filters), args.runs)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    made = f"seeded in {seeded:.0f} s" if seeded else "a kept database"
    print(f"\nticket search on {connection.vendor}: {count:,} tickets ({made}); "
          f"{_index_size()}; load average {load}\n")  # fmt: skip
    print(f"{'query (API work: rank, count, 25 rows + snippets)':52} {'p50 ms':>8} {'p95 ms':>8}"
          f"  plan uses")  # fmt: skip
    for name, samples, plan in rows:
        print(f"{name:52} {percentile(samples, 0.5):8.2f} {percentile(samples, 0.95):8.2f}  {plan}")
    print(f"{'floor: primary-key lookup':52} {percentile(floor_pk, .5):8.2f} "
          f"{percentile(floor_pk, .95):8.2f}")  # fmt: skip
    print(f"{'floor: list without q, status + team':52} {percentile(floor_list, .5):8.2f} "
          f"{percentile(floor_list, .95):8.2f}")  # fmt: skip
    print(f"{'target p95':52} {'':8} {TARGET_MS[connection.vendor]:8.2f}")
    print(f"{'peak memory (MiB)':52} {rss:8.0f}")


def _first_seed(args: argparse.Namespace) -> None:
    from kefu.testing import make_personas

    make_personas()
    measure(args, seed(args.tickets))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--tickets", type=int, default=0, help="1,000,000 / 200,000 by default")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure on a kept database")
    args = parser.parse_args()
    args.tickets = args.tickets or (1_000_000 if args.db == "postgresql" else 200_000)
    if args.db == "sqlite":
        os.environ.pop("KEFU_DATABASE_URL", None)
        SQLITE_DIR.mkdir(exist_ok=True)
        env = {"KEFU_DATA_DIR": str(SQLITE_DIR)}
        if not args.reuse:
            SQLITE_FILE.unlink(missing_ok=True)
        setup(env)
        measure(args, 0.0) if args.reuse else _first_seed(args)
        if not (args.keep or args.reuse):  # a kept database stays until removed by hand
            SQLITE_FILE.unlink(missing_ok=True)
        return
    if args.reuse:
        setup({"KEFU_DATABASE_URL": f"{PG_URL.rsplit('/', 1)[0]}/{DB_NAME}"})
        measure(args, 0.0)
        return
    with scratch_postgres(PG_URL, DB_NAME, keep=args.keep) as url:
        setup({"KEFU_DATABASE_URL": url})
        _first_seed(args)


if __name__ == "__main__":
    main()
