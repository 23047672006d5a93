"""Daily buckets: the facts' counts and sums per day of creation (Asia/Shanghai, the days
periods are made of) and per team, channel, tier and language, so a period's counts, rates,
volumes and its backlog older than a week read at most days × combinations rows instead of
every fact. Category and agent are not in the key: with them a day has more combinations than
tickets at a million tickets over two years (14 teams × 8 categories × 4 channels × agents), so
buckets would hold about one fact each; figures filtered by category or agent, and the
per-category and per-agent breakdowns, count the facts (``figures.counts_of``).

Kept current by the rollup sweeper in the transaction that rewrites the facts (``move``): a
refreshed fact takes its old contribution out of its old bucket and adds its new one to its
(maybe different) bucket. The facts stay the source of truth: ``rebuild`` (the command
``rebuild_report_buckets``) recounts every bucket from them in one GROUP BY, a second,
independent way to the same rows (a test checks both agree after random changes).

Percentiles are not bucketed. A histogram per bucket would hold about one entry per ticket
(a bucket has about twenty tickets at a million over two years; a log-spaced histogram of
±0.5 % has ~1,400 bins), so merging a period's histograms would read as many entries as the
facts' covering index holds values, and give approximate figures instead of the exact ones
the facts give on both databases.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan

from kefu.reports.facts import METRIC_BITS
from kefu.reports.models import DailyBucket, TicketFact
from kefu.tickets.models import Channel

DAY = 86_400
NONE = 0  # the key of a fact without a team
KEY = ("day", "team_id", "channel", "tier", "language")
IDS = ("team_id",)
Key = tuple[Any, ...]


def _has(field: str, bit: int) -> GreaterThan:
    return GreaterThan(F(field).bitand(bit), 0)


# What a bucket holds, as aggregates over facts: the recount, and the figures' definitions.
COUNTS: dict[str, Any] = {
    "created": Count("pk"),
    "resolved": Count("pk", filter=Q(resolved_at__isnull=False)),
    "unresolved": Count("pk", filter=Q(resolved_at__isnull=True)),
    "within_24h": Count("pk", filter=Q(resolution_wall__lte=DAY)),
    "reopened": Count("pk", filter=Q(reopened=True)),
    "complaints": Count("pk", filter=Q(is_complaint=True)),
    "nudges": Coalesce(Sum("nudges"), 0),
    "chats": Count("pk", filter=Q(channel=Channel.CHAT)),
    "contained": Count("pk", filter=Q(channel=Channel.CHAT, handed_off=False,
                                      resolved_at__isnull=False)),
    **{r: Count("pk", filter=Q(rating=r)) for r in ("satisfied", "neutral", "unsatisfied")},
    "with_target": Count("pk", filter=Q(sla_targets__gt=0)),
    "met": Count("pk", filter=Q(sla_targets__gt=0, sla_breached=0)),
    **{f"t_{m}": Count("pk", filter=_has("sla_targets", bit)) for m, bit in METRIC_BITS.items()},
    **{f"b_{m}": Count("pk", filter=_has("sla_breached", bit)) for m, bit in METRIC_BITS.items()},
}  # fmt: skip
COUNTED = tuple(COUNTS)


def contribution(fact: TicketFact) -> dict[str, int]:
    """What one fact adds to its bucket (the same definitions as ``COUNTS``, in Python)."""
    done = fact.resolved_at is not None
    chat = fact.channel == Channel.CHAT
    return {
        "created": 1,
        "resolved": int(done),
        "unresolved": int(not done),
        "within_24h": int(fact.resolution_wall is not None and fact.resolution_wall <= DAY),
        "reopened": int(fact.reopened),
        "complaints": int(fact.is_complaint),
        "nudges": fact.nudges,
        "chats": int(chat),
        "contained": int(chat and not fact.handed_off and done),
        **{r: int(fact.rating == r) for r in ("satisfied", "neutral", "unsatisfied")},
        "with_target": int(fact.sla_targets > 0),
        "met": int(fact.sla_targets > 0 and fact.sla_breached == 0),
        **{f"t_{m}": int(bool(fact.sla_targets & bit)) for m, bit in METRIC_BITS.items()},
        **{f"b_{m}": int(bool(fact.sla_breached & bit)) for m, bit in METRIC_BITS.items()},
    }


def key_of(fact: TicketFact) -> Key:
    return tuple(
        (getattr(fact, name) or NONE) if name in IDS else getattr(fact, name) for name in KEY
    )


def move(old: Iterable[TicketFact], new: Iterable[TicketFact]) -> None:
    """Take the ``old`` versions of facts out of their buckets and add the ``new`` ones, in
    one upsert per changed bucket (same SQL on SQLite and PostgreSQL); buckets left empty go."""
    deltas: dict[Key, dict[str, int]] = {}
    for facts, sign in ((old, -1), (new, 1)):
        for fact in facts:
            into = deltas.setdefault(key_of(fact), dict.fromkeys(COUNTED, 0))
            for name, n in contribution(fact).items():
                into[name] += sign * n
    # In key order: two refreshes that touch the same buckets lock them in the same order.
    changed = [(*key, *(deltas[key][name] for name in COUNTED))
               for key in sorted(deltas, key=str) if any(deltas[key].values())]  # fmt: skip
    if not changed:
        return
    table = DailyBucket._meta.db_table
    columns = (*KEY, *COUNTED)
    added = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in COUNTED)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))}) "
            f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET {added}",
            changed,
        )
    DailyBucket.objects.filter(day__in={key[0] for key in deltas}, created=0).delete()


def recount(facts: QuerySet[Any]) -> list[dict[str, Any]]:
    """Every bucket's key and counts, recounted from ``facts`` (one GROUP BY)."""
    keys = {f"key_{name}": Coalesce(name, Value(NONE)) for name in IDS}
    rows = facts.values("day", "channel", "tier", "language", **keys).annotate(**COUNTS)
    return [
        {**{name: row[f"key_{name}"] if name in IDS else row[name] for name in KEY},
         **{name: row[name] for name in COUNTED}}
        for row in rows.order_by()
    ]  # fmt: skip


def rebuild(fact_model: Any = TicketFact, bucket_model: Any = DailyBucket) -> int:
    """Replace every bucket by its recount from the facts (also the migration's first fill,
    with its historical models). On PostgreSQL the table is locked first, so a refresh that
    commits meanwhile moves its fact on top of the recount instead of being lost."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {bucket_model._meta.db_table} IN EXCLUSIVE MODE")
        bucket_model.objects.all().delete()
        found = recount(fact_model.objects.all())
        bucket_model.objects.bulk_create([bucket_model(**row) for row in found], batch_size=2000)
    return len(found)


def between(rows: QuerySet[DailyBucket], first: date, last: date) -> QuerySet[DailyBucket]:
    return rows.filter(day__gte=first, day__lte=last)


def totals(rows: QuerySet[DailyBucket]) -> dict[str, int]:
    """The counts summed over ``rows`` (0 where there are none)."""
    found = rows.aggregate(**{name: Sum(name) for name in COUNTED})
    return {name: found[name] or 0 for name in COUNTED}


def grouped(rows: QuerySet[DailyBucket], field: str, *counts: str) -> dict[Any, tuple[int, ...]]:
    """``counts`` summed per value of ``field`` (ids of 0 given back as None)."""
    found = rows.values(field).annotate(**{f"sum_{c}": Sum(c) for c in counts}).order_by()
    return {
        (None if field in IDS and row[field] == NONE else row[field]):
            tuple(row[f"sum_{c}"] for c in counts)
        for row in found
    }  # fmt: skip
