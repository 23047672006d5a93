"""Mixed load on PostgreSQL: creates, replies, lists, searches and bot chats at once, open loop.

Issue #18's "bounded 10-minute mixed load at 50 % of the measured create capacity": a scratch
database seeded with ``--tickets`` tickets (their messages and search documents, as
bench/search.py writes them), a real `kefu serve` (``--workers`` processes, chat groups through
Redis) and one `kefu worker`, then

1. **capacity**: creates in a closed loop at ``--concurrency`` for ``--capacity-seconds`` →
   creates/s;
2. **load**: for ``--minutes``, creates *arrive* (Poisson, seeded) at ``--share`` of that
   capacity and every other operation at a fixed ratio to them (``MIX``, printed). Arrivals do
   not wait for answers — a slow server does not lower the offered load — and each operation has
   at most ``--max-in-flight`` requests open (chat: sessions open); an arrival over the bound is
   shed and counted as an error. Latency runs from the arrival's scheduled time;
3. **lost**: every create, reply and chat line the server accepted is looked up in the database
   afterwards (the ticket with its first message, the message by id, the line by its unique
   text).

    .venv/bin/python bench/mixed.py                         # 10 minutes, 20,000 tickets
    .venv/bin/python bench/mixed.py --minutes 1 --tickets 2000 --senders 600

Prints a table per operation (count, errors, rate, p50/p95/p99) with a floor row (``/healthz``
through the same stack, during the load), the server's and the worker's peak RSS, and how long
after a create's 201 the ticket was fully derived as the API shows it: no longer
``being_triaged`` and its SLA clocks readable (``--derive inline``, the default, derives it in the
create's own transaction, so the first read finds it; ``--derive batched`` leaves it to the
worker, ``KEFU_DERIVE_NEW_TICKETS``). Exits 1 when anything was lost or failed.

Every visitor and customer connects from 127.0.0.1 here, so the per-address limits of anonymous
chat (``chat_session.ip``, ``chat_message.ip``) are raised for the server (``KEFU_RATE_LIMITS``);
the per-email limits stay, and each visitor has its own address.
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
import random
import statistics
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import quote

from bench.api import MESSAGES, PYTHON, ROOT, kefu, server
from bench.chat import raise_file_limit
from bench.common import percentile, scratch_postgres
from bench.openloop import TIMEOUT, Action, Driver, Operation, Pool, sample_memory

# Per create that arrives: how many of each other operation arrive (on average, Poisson);
# ``--mix`` changes them. Chats are sessions of CHAT_LINES lines each. Sized to what is left
# beside creates at 50 % of their capacity: here a reply costs more than a create (the "each
# alone" line), so 1 reply, 1 agent reply, 2 lists and 1 search per create would offer ~250 %
# of the server; these offer ~75 % (and the chats' lines a few % more).
MIX = {"reply": 0.1, "agent": 0.1, "list": 0.5, "search": 0.1, "chat": 0.02}
NAMES = {
    "create": "create",
    "reply": "customer reply",
    "agent": "agent reply",
    "list": "list (agent, filtered)",
    "search": "search (agent)",
    "chat": "chat session (open)",
}
CHAT_LINES = 4  # a visitor's lines in one chat with the bot
CHAT_PAUSE = 3.0  # seconds a visitor reads the answer before typing the next line
HEALTH_RATE = 2.0  # /healthz probes per second during the load: the floor under everything
DERIVE_EVERY = 10  # one create in ten has its SLA clocks read right after the 201
RATE_LIMITS = "chat_session.ip=1000000/600,chat_message.ip=1000000/60"

SEED = """
import json, os
import django
django.setup()
from bench.search import seed
from kefu.accounts.actions import create_agent, create_api_token, create_customer
from kefu.accounts.models import Organization, Team

seeded = seed(int(os.environ["BENCH_TICKETS"]))
orgs = list(Organization.objects.order_by("pk")[:100])
# Many customers file the new tickets, each one's next ticket about something else: one sender's
# repeat within the duplicate window would (rightly) join their earlier ticket.
senders = [
    create_api_token(user=create_customer(
        email=f"sender{i}@load{i % len(orgs)}.test", organization=orgs[i % len(orgs)],
        scopes=["create_tickets", "billing_tickets"]).user, name="bench")
    for i in range(int(os.environ["BENCH_SENDERS"]))
]
teams = list(Team.objects.all())
agents = [
    create_api_token(user=create_agent(email=f"agent{i}@load.test", code=f"L{i:04d}",
                                       teams=teams).user, name="bench")
    for i in range(int(os.environ["BENCH_AGENTS"]))
]
print(json.dumps({"senders": senders, "agents": agents, "seconds": seeded}))
"""

CUSTOMER_REPLIES = (
    "补充一下：订单 {o} 的照片已经拍好了，请查收，编号 {n}。",
    "Any update on this? Our buyer is asking again about {o} (ref {n}).",
    "我们又检查了一遍，问题仍然存在，麻烦再看一下，参考号 {n}。",
    "Adding the invoice number INV-{n} you asked for; the order is {o}.",
    "请问今天能处理吗？客户那边在催，第 {n} 次跟进。",
)
AGENT_REPLIES = (
    "您好，已收到，我们正在核实订单 {o}，请稍候。（处理编号 {n}）",
    "Thanks, we have forwarded this to the carrier and will update you today (ref {n}).",
    "您好，退款已提交财务处理，预计 3 个工作日内到账。（处理编号 {n}）",
    "Could you send a photo of the label on the parcel for {o}? Reference {n}.",
)
LISTS = (
    "status=open&team=billing",
    "status=new&order=score",
    "category=payment_billing",
    "team=logistics&status=pending_customer",
    "channel=chat",
    "",
)
SEARCHES = ("发票", "退款", "物流", "refunds", "tracking", "invoice", "AE-ERR-403", "退款申请")
CHAT_QUESTIONS = (
    "退款什么时候到账？",
    "How do I track my shipment?",
    "怎么申请开具增值税专用发票",
    "How can I change the delivery address of my order?",
    "子账号收不到验证码怎么办",
    "What documents do I need for customs clearance?",
)


@dataclass
class Tokens:
    senders: list[str]
    agents: list[str]


@dataclass
class Ledger:
    """What the server said it stored, to look up afterwards."""

    tickets: list[tuple[str, str, int]] = field(default_factory=list)  # number, body, sender
    messages: list[tuple[int, str]] = field(default_factory=list)  # id, body
    chat_lines: list[str] = field(default_factory=list)  # unique texts
    derive_ms: list[float] = field(default_factory=list)
    not_derived: int = 0
    derived_later: int = 0  # clocks missing at the first read, there at a later one


class Load(Driver):
    """The operations of the mixed load against one server."""

    def __init__(self, url: str, tokens: Tokens, seed: int = 18) -> None:
        super().__init__()
        self.url, self.pool, self.tokens = url, Pool(url), tokens
        self.rng = random.Random(seed)
        self.ledger = Ledger()
        self.creates = 0  # sequence of creates, capacity burst included

    # --- the operations -------------------------------------------------------------------

    def _create_payload(self) -> tuple[bytes, str, int]:
        i = self.creates
        self.creates += 1
        senders = len(self.tokens.senders)
        sender = i % senders
        # A sender's consecutive tickets use different templates: the same template comes back
        # to them only after len(MESSAGES) × senders creates.
        subject, body = MESSAGES[(i // senders) % len(MESSAGES)]
        order = f"PO-{900000 + i}"
        text = body.format(o=order, n=i)
        payload = {"subject": subject.format(o=order, n=i), "body": text,
                   "order_id": order if i % 3 else ""}  # fmt: skip
        return json.dumps(payload).encode(), text, sender

    async def create(self, op: Operation, scheduled: float) -> None:
        payload, text, sender = self._create_payload()
        status, answer = await self.pool.call(
            "POST", "/api/v1/tickets", self.tokens.senders[sender], payload
        )
        if status != 201:
            op.failed(f"{status} {answer[:60]!r}")
            return
        op.ok(scheduled)
        number = json.loads(answer)["number"]
        self.ledger.tickets.append((number, text, sender))
        if len(self.ledger.tickets) % DERIVE_EVERY == 0:
            self.spawn(self.derived(number, time.perf_counter()))

    async def derived(self, number: str, answered: float) -> None:
        """Poll the new ticket until it is no longer being triaged and has its SLA clocks (or
        10 s passed)."""
        token = self.rng.choice(self.tokens.agents)
        reads = 0
        while time.perf_counter() - answered < 10:
            reads += 1
            if await self._is_derived(number, token):
                self.ledger.derive_ms.append((time.perf_counter() - answered) * 1000)
                self.ledger.derived_later += reads > 1
                return
            await asyncio.sleep(0.1)
        self.ledger.not_derived += 1

    async def _is_derived(self, number: str, token: str) -> bool:
        status, answer = await self.pool.call("GET", f"/api/v1/tickets/{number}", token)
        if status != 200 or json.loads(answer).get("being_triaged"):
            return False
        status, answer = await self.pool.call("GET", f"/api/v1/tickets/{number}/sla", token)
        return status == 200 and bool(json.loads(answer))

    async def customer_reply(self, op: Operation, scheduled: float) -> None:
        await self._reply(op, scheduled, by_agent=False)

    async def agent_reply(self, op: Operation, scheduled: float) -> None:
        await self._reply(op, scheduled, by_agent=True)

    async def _reply(self, op: Operation, scheduled: float, by_agent: bool) -> None:
        """A reply to a ticket of this run: by its customer, or by any agent."""
        if not self.ledger.tickets:
            op.failed("no ticket yet")
            return
        number, _, sender = self.rng.choice(self.ledger.tickets)
        texts = AGENT_REPLIES if by_agent else CUSTOMER_REPLIES
        text = self.rng.choice(texts).format(o=number, n=self.rng.randrange(10**9))
        token = self.rng.choice(self.tokens.agents) if by_agent else self.tokens.senders[sender]
        status, answer = await self.pool.call(
            "POST", f"/api/v1/tickets/{number}/messages", token, json.dumps({"body": text}).encode()
        )
        if status != 201:
            op.failed(f"{status} {answer[:60]!r}")
            return
        op.ok(scheduled)
        self.ledger.messages.append((json.loads(answer)["id"], text))

    async def list_tickets(self, op: Operation, scheduled: float) -> None:
        query = self.rng.choice(LISTS)
        path = f"/api/v1/tickets?page={self.rng.randint(1, 3)}&page_size=25&{query}"
        await self._get(op, scheduled, path, self.rng.choice(self.tokens.agents))

    async def search(self, op: Operation, scheduled: float) -> None:
        words = quote(self.rng.choice(SEARCHES))
        query = f"q={words}" + ("&status=resolved" if self.rng.random() < 0.3 else "")
        await self._get(
            op, scheduled, f"/api/v1/tickets?{query}", self.rng.choice(self.tokens.agents)
        )

    async def health(self, op: Operation, scheduled: float) -> None:
        await self._get(op, scheduled, "/healthz", "")

    async def _get(self, op: Operation, scheduled: float, path: str, token: str) -> None:
        status, answer = await self.pool.call("GET", path, token)
        if status != 200:
            op.failed(f"{status} {answer[:60]!r}")
            return
        op.ok(scheduled)

    async def chat(self, op: Operation, scheduled: float) -> None:
        """A visitor opens the widget, says hello, and exchanges CHAT_LINES lines with the bot.
        ``op`` times the session's opening; "chat line" each line until the bot's answer (or,
        once the bot handed over, until the line came back from the chat's group)."""
        import websockets

        lines = self.op("warm-up" if op.name.startswith("warm-up") else "chat line → bot answer")
        visitor = self.rng.randrange(10**9)
        ws_url = self.url.replace("http://", "ws://") + "/ws/chat/"
        async with websockets.connect(ws_url, max_queue=None, open_timeout=TIMEOUT) as socket:
            await socket.send(json.dumps({"type": "hello", "email": f"v{visitor}@chat.test",
                                          "name": f"Visitor {visitor}",
                                          "lang": self.rng.choice(["zh", "en"])}))  # fmt: skip
            state = ""
            while not state:
                frame = json.loads(await asyncio.wait_for(socket.recv(), TIMEOUT))
                if frame.get("type") == "error":
                    op.failed(f"hello: {frame.get('detail')}")
                    return
                if frame.get("type") == "session":
                    state = frame["state"]
            op.ok(scheduled)
            for n in range(CHAT_LINES):
                client_id = f"{visitor}-{n}"
                text = f"{self.rng.choice(CHAT_QUESTIONS)} [{client_id}]"
                sent = time.perf_counter()
                await socket.send(json.dumps({"type": "message", "id": client_id, "text": text}))
                echoed = answered = False
                while not (echoed and (answered or state != "bot")):
                    frame = json.loads(await asyncio.wait_for(socket.recv(), TIMEOUT))
                    kind = frame.get("type")
                    if kind == "error":
                        lines.failed(f"line: {frame.get('detail')}")
                        break
                    if kind == "session":
                        state = frame["state"]
                    elif kind == "message" and frame.get("client_id") == client_id:
                        echoed = True
                        self.ledger.chat_lines.append(text)
                    elif kind == "message" and echoed and frame.get("author") == "bot":
                        answered = True
                else:
                    lines.ok(sent)
                await asyncio.sleep(CHAT_PAUSE)


async def drive(
    url: str, tokens: Tokens, args: argparse.Namespace, groups: dict[str, list[int]]
) -> tuple[Load, dict[str, float], dict[str, float]]:
    """Capacity of creates (and of each other HTTP operation alone, to weigh the mix), then the
    open-loop mixed load; the capacities and the processes' peak RSS."""
    load = Load(url, tokens)
    peaks: dict[str, float] = {}
    stop = asyncio.Event()
    sampler = asyncio.ensure_future(sample_memory(groups, peaks, stop))
    actions: dict[str, Action] = {
        "create": load.create,
        "reply": load.customer_reply,
        "agent": load.agent_reply,
        "list": load.list_tickets,
        "search": load.search,
        "chat": load.chat,
    }
    # Warm up (imports, caches, connections), then what creates can do flat out.
    await load.closed_loop("warm-up", load.create, 4, 5)
    await load.closed_loop("warm-up chat", load.chat, 4, 1)  # the bot's models load lazily
    capacity = {
        "create": await load.closed_loop(
            "create (capacity, closed loop)", load.create, args.concurrency, args.capacity_seconds
        )
    }
    print(f"create capacity: {capacity['create']:.1f}/s", file=sys.stderr)
    for key in ("reply", "agent", "list", "search"):  # alone, for the record
        if args.probe_seconds:
            capacity[key] = await load.closed_loop(
                f"probe: {key}", actions[key], args.concurrency, args.probe_seconds
            )
    await load.drain()
    rate = capacity["create"] * args.share
    until = time.perf_counter() + args.minutes * 60
    await asyncio.gather(
        load.arrivals(NAMES["create"], load.create, rate, until, args.max_in_flight),
        *(load.arrivals(NAMES[key], actions[key], rate * share, until,
                        args.max_chats if key == "chat" else args.max_in_flight)
          for key, share in args.mix.items() if share),
        load.arrivals("floor: GET /healthz (during the load)", load.health, HEALTH_RATE, until,
                      args.max_in_flight),
    )  # fmt: skip
    await load.drain()
    load.pool.close()
    stop.set()
    await sampler
    return load, capacity, peaks


def lost(database_url: str, ledger: Ledger) -> dict[str, int]:
    """What the server answered 201 for but the database does not hold."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        numbers = [number for number, _, _ in ledger.tickets]
        held = set(connection.execute(
            "SELECT t.number, m.body FROM tickets_ticket t JOIN tickets_message m "
            "ON m.ticket_id = t.id WHERE t.number = ANY(%s)", [numbers]).fetchall())  # fmt: skip
        ids = [pk for pk, _ in ledger.messages]
        messages = set(
            connection.execute("SELECT id, body FROM tickets_message WHERE id = ANY(%s)", [ids])
        )
        lines = {body for (body,) in connection.execute(
            "SELECT body FROM tickets_message WHERE channel = 'chat' AND body = ANY(%s)",
            [ledger.chat_lines]).fetchall()}  # fmt: skip
    return {
        "tickets (with their message)": sum(
            (number, body) not in held for number, body, _ in ledger.tickets
        ),
        "replies": sum((pk, body) not in messages for pk, body in ledger.messages),
        "chat lines": sum(text not in lines for text in ledger.chat_lines),
    }


@contextmanager
def worker(env: dict[str, str]) -> Iterator[int]:
    process = subprocess.Popen([PYTHON, "-m", "kefu.cli", "worker"], env=env, cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        yield process.pid
    finally:
        process.terminate()
        process.wait(40)


def flush_redis(url: str) -> None:
    """This bench's Redis database starts and ends empty (rate counters, chat groups)."""
    import redis

    redis.Redis.from_url(url).flushdb()


def environment(database_url: str, data_dir: str, redis_url: str) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kefu.settings",
           "KEFU_DATABASE_URL": database_url, "KEFU_DATA_DIR": data_dir,
           "KEFU_MEDIA_ROOT": str(Path(data_dir) / "media"), "KEFU_REDIS_URL": redis_url,
           "KEFU_RATE_LIMITS": RATE_LIMITS}  # fmt: skip
    env.pop("PYTEST_VERSION", None)
    return env


def run(args: argparse.Namespace) -> int:
    import tempfile

    raise_file_limit()
    name = f"kefu_bench_mixed_{os.getpid()}"
    flush_redis(args.redis_url)
    with (
        scratch_postgres(args.pg_url, name, keep=args.keep) as database_url,
        tempfile.TemporaryDirectory(prefix=f"{name}-") as data_dir,
    ):
        env = environment(database_url, data_dir, args.redis_url)
        env["KEFU_DERIVE_NEW_TICKETS"] = args.derive
        kefu(env, "migrate", "-v0")
        began = time.perf_counter()
        seeded = json.loads(subprocess.run(
            [PYTHON, "-c", SEED], env={**env, "BENCH_TICKETS": str(args.tickets),
                                       "BENCH_SENDERS": str(args.senders),
                                       "BENCH_AGENTS": str(args.agents)},
            cwd=ROOT, check=True, capture_output=True, text=True,
        ).stdout.splitlines()[-1])  # fmt: skip
        print(f"seeded {args.tickets:,} tickets, {args.senders} customers, {args.agents} agents "
              f"in {time.perf_counter() - began:.0f} s", file=sys.stderr)  # fmt: skip
        tokens = Tokens(seeded["senders"], seeded["agents"])
        load_before = os.getloadavg()[0]
        with server(env, args.workers) as (url, pids), worker(env) as worker_pid:
            groups = {"server": pids, "worker": [worker_pid]}
            load, capacities, peaks = asyncio.run(drive(url, tokens, args, groups))
            # Counted and printed before anything stops: a slow shutdown loses no result.
            missing = lost(database_url, load.ledger)
            report(args, load, capacities, peaks, missing, (load_before, os.getloadavg()[0]))
    flush_redis(args.redis_url)
    failed = sum(op.error_count for op in load.ops.values()) + sum(missing.values())
    return 1 if failed or load.ledger.not_derived else 0


def report(
    args: argparse.Namespace,
    load: Load,
    capacities: dict[str, float],
    peaks: dict[str, float],
    missing: dict[str, int],
    loadavg: tuple[float, float],
) -> None:
    capacity = capacities["create"]
    rate = capacity * args.share
    mix = ", ".join(f"{share:g} {NAMES[key]}" for key, share in args.mix.items())
    print(f"\nKefu mixed load — PostgreSQL, {args.tickets:,} tickets seeded, {args.workers} "
          f"server workers + 1 `kefu worker`, {os.cpu_count()} CPUs, load average "
          f"{loadavg[0]:.1f} before, {peaks.get('load average', 0):.1f} at the highest, "
          f"{loadavg[1]:.1f} after (other engineers' work included)")  # fmt: skip
    print(f"create capacity {capacity:.1f}/s (closed loop, {args.concurrency} clients, "
          f"{args.capacity_seconds:g} s); load {args.minutes:g} min open loop: creates arrive at "
          f"{args.share:.0%} = {rate:.1f}/s, per create {mix} ({CHAT_LINES} lines each, "
          f"{CHAT_PAUSE:g} s apart), /healthz {HEALTH_RATE:g}/s; at most {args.max_in_flight} "
          f"requests ({args.max_chats} chats) in flight per operation")  # fmt: skip
    alone = {key: value for key, value in capacities.items() if key != "create"}
    if alone:
        # What share of the server each operation's arrivals would take if costs added up.
        offered = args.share + sum(
            rate * args.mix.get(key, 0) / value for key, value in alone.items() if value
        )
        print("each alone, closed loop: " + ", ".join(
            f"{NAMES[key]} {value:.1f}/s" for key, value in alone.items())
            + f"; the HTTP operations' arrivals add up to {offered:.0%} of those capacities "
            "(chats not counted)")  # fmt: skip
    header = ("operation", "count", "errors", "per s", "p50 ms", "p95 ms", "p99 ms", "max ms",
              "peak in flight")  # fmt: skip
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for op in load.ops.values():
        if op.name.startswith(("warm-up", "probe")):
            continue
        samples = op.latencies or [0.0]
        elapsed = max(op.ended - op.began, 1e-9)
        print(f"| {op.name} | {len(op.latencies)} | {op.error_count} | "
              f"{len(op.latencies) / elapsed:,.1f} | {statistics.median(samples):.1f} | "
              f"{percentile(samples, 0.95):.1f} | {percentile(samples, 0.99):.1f} | "
              f"{max(samples):.1f} | {op.peak or '-'} |")  # fmt: skip
    ledger = load.ledger
    derive = ledger.derive_ms or [0.0]
    print(f"\nnew ticket derived (not being triaged, SLA clocks there; --derive {args.derive}), "
          f"read by an agent right after its 201 (1 create in "
          f"{DERIVE_EVERY}): {len(ledger.derive_ms) - ledger.derived_later} of "
          f"{len(ledger.derive_ms) + ledger.not_derived} there at the first read, "
          f"{ledger.derived_later} at a later one, {ledger.not_derived} not within 10 s; "
          f"201 → derived read p50 {statistics.median(derive):.1f} ms, "
          f"p99 {percentile(derive, 0.99):.1f} ms")  # fmt: skip
    print(f"peak RSS: server {peaks.get('server', 0):.0f} MiB ({args.workers} workers, their "
          f"parent and bench/api.py's triage-batches worker), `kefu worker` "
          f"{peaks.get('worker', 0):.0f} MiB")  # fmt: skip
    errors = {op.name: op.errors + Counter({"shed": op.shed}) for op in load.ops.values()}
    for name, kinds in errors.items():
        for kind, count in kinds.most_common(5):
            if count:
                print(f"  error: {name}: {count} × {kind}")
    checked = (f"{len(load.ledger.tickets)} tickets, {len(load.ledger.messages)} replies, "
               f"{len(load.ledger.chat_lines)} chat lines")  # fmt: skip
    print(
        f"lost (answered 201 / echoed, not in the database; {checked} checked): "
        + ", ".join(f"{name} {count}" for name, count in missing.items())
    )
    total_errors = sum(op.error_count for op in load.ops.values())
    print(f"errors: {total_errors}, lost: {sum(missing.values())}")


def mix(text: str) -> dict[str, float]:
    """``reply=1,agent=1,…`` over the defaults."""
    ratios = dict(MIX)
    for item in filter(None, text.split(",")):
        key, _, value = item.partition("=")
        if key not in MIX:
            raise argparse.ArgumentTypeError(f"{key!r}: one of {', '.join(MIX)}")
        ratios[key] = float(value)
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/test")
    # Database 13: bench/chat.py uses 14, the tests 15.
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--senders", type=int, default=3000, help="customers with API tokens")
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--share", type=float, default=0.5, help="of the create capacity")
    parser.add_argument("--concurrency", type=int, default=16, help="capacity burst clients")
    parser.add_argument("--capacity-seconds", type=float, default=20.0)
    parser.add_argument("--max-in-flight", type=int, default=64, help="per operation")
    parser.add_argument("--max-chats", type=int, default=200, help="chat sessions open at once")
    parser.add_argument(
        "--probe-seconds",
        type=float,
        default=8.0,
        help="each other HTTP operation alone, closed loop (0: skip)",
    )
    parser.add_argument(
        "--mix",
        type=mix,
        default=MIX,
        help="per create, e.g. reply=1,agent=1,list=2,search=1,chat=0.2",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument(
        "--derive",
        choices=["inline", "batched"],
        default="inline",
        help="where new tickets' triage is derived (KEFU_DERIVE_NEW_TICKETS)",
    )
    raise SystemExit(run(parser.parse_args()))


if __name__ == "__main__":
    main()
