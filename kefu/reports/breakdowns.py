"""The dashboard's breakdowns: volume per day, channel, category and team, the weekday × hour
heatmap (in Asia/Shanghai and in the viewer's zone), and per-agent figures with QA scores."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Avg, Count, Q, QuerySet

from kefu.accounts.models import Agent, Team
from kefu.escalation.models import QaReview
from kefu.reports import buckets
from kefu.reports.facts import SHANGHAI
from kefu.reports.figures import Period, in_period
from kefu.reports.models import DailyBucket, TicketFact
from kefu.reports.stats import PercentileCont, grouped_medians
from kefu.tickets.models import Category, Channel

GROUPS = ("day", "channel", "category_id", "team_id", "utc_hour_of_week")
BUCKETED = ("day", "channel", "team_id")  # the breakdowns the daily buckets can give
# Per breakdown (a field of GROUPS): its value → (tickets created, of them solved within 24 h).
Counts = dict[str, dict[Any, tuple[int, ...]]]


def grouped_counts(
    rows: QuerySet[TicketFact], days: QuerySet[DailyBucket] | None, period: Period
) -> Counts:
    """The period's tickets counted by day, channel and team from its daily buckets (from its
    facts when there are none: a category or agent filter), by category and hour of the week
    from its facts (one GROUP BY each)."""
    cohort = in_period(rows, period)
    found = {field: _counted(cohort, field) for field in GROUPS
             if days is None or field not in BUCKETED}  # fmt: skip
    if days is not None:
        in_days = buckets.between(days, period.first, period.last)
        found |= {field: buckets.grouped(in_days, field, "created", "within_24h")
                  for field in BUCKETED}  # fmt: skip
    return found


def _counted(cohort: QuerySet[TicketFact], field: str) -> dict[Any, tuple[int, ...]]:
    counted = cohort.values(field).annotate(
        n=Count("pk"), within=Count("pk", filter=Q(resolution_wall__lte=buckets.DAY))
    )
    return {row[field]: (row["n"], row["within"]) for row in counted.order_by()}


def daily(counts: Counts, period: Period) -> list[dict[str, Any]]:
    by_day = counts["day"]
    days = [period.first + timedelta(days=n) for n in range(period.days)]
    return [
        {"day": day, "created": by_day.get(day, (0, 0))[0],
         "solved_within_24h": by_day.get(day, (0, 0))[1]}
        for day in days
    ]  # fmt: skip


def _labels(model: Any, ids: Iterable[Any]) -> dict[Any, str]:
    return {obj.pk: obj.label for obj in model.objects.filter(pk__in=[i for i in ids if i])}


def volume(counts: Counts, field: str) -> list[dict[str, Any]]:
    counted = sorted(((key, n) for key, (n, _) in counts[field].items()),
                     key=lambda item: (-item[1], str(item[0])))  # fmt: skip
    keys = [key for key, _ in counted]
    if field == "channel":
        names = {c.value: str(c.label) for c in Channel}
    elif field == "category_id":
        names = _labels(Category, keys)
    else:
        names = _labels(Team, keys)
    return [{"key": key, "label": names.get(key, "—"), "tickets": n} for key, n in counted]


def heatmap(counts: Counts, period: Period, zone: str) -> list[list[int]]:
    """7 × 24 counts (Monday first) in ``zone``, shifted from UTC by the zone's offset at the
    period's end (exact for zones without daylight saving, such as Asia/Shanghai)."""
    grid = [[0] * 24 for _ in range(7)]
    offset = _offset_hours(zone, period.end)
    for hour, (n, _) in counts["utc_hour_of_week"].items():
        local = (hour + offset) % 168
        grid[local // 24][local % 24] += n
    return grid


def _offset_hours(zone: str, at: datetime) -> int:
    try:
        offset = at.astimezone(ZoneInfo(zone)).utcoffset()
    except (KeyError, ValueError):
        offset = at.astimezone(SHANGHAI).utcoffset()
    return int(offset.total_seconds() // 3600) if offset else 0


def agents(rows: QuerySet[TicketFact], period: Period) -> list[dict[str, Any]]:
    cohort = in_period(rows, period).filter(agent_id__isnull=False)
    in_sql = connection.vendor == "postgresql"
    median = {"median": PercentileCont("first_response_business", share=0.5)} if in_sql else {}
    counted = list(
        cohort.values("agent_id")
        .annotate(
            handled=Count("pk"),
            rated=Count("pk", filter=~Q(rating="")),
            satisfied=Count("pk", filter=Q(rating="satisfied")),
            **median,
        )
        .order_by()
    )
    medians: dict[Any, Any] = (
        {row["agent_id"]: dict(row).get("median") for row in counted}
        if in_sql  # in the same pass; SQLite computes them apart
        else grouped_medians(cohort, "agent_id", "first_response_business")
    )
    ids = [int(row["agent_id"] or 0) for row in counted]
    codes = dict(Agent.objects.filter(pk__in=ids).values_list("pk", "code"))
    qa = qa_scores(ids, period)
    return sorted(
        [{"agent": codes.get(int(row["agent_id"] or 0), "—"), "handled": row["handled"],
          "first_response_median_seconds": _round(medians.get(int(row["agent_id"] or 0))),
          "csat_satisfied_rate": _share(row["satisfied"], row["rated"]),
          "qa_score": qa.get(int(row["agent_id"] or 0))}
         for row in counted],
        key=lambda r: (-r["handled"], r["agent"]),
    )  # fmt: skip


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def qa_scores(agent_ids: list[int], period: Period) -> dict[int, float]:
    """The average scorecard percentage of reviews completed in the period, per agent."""
    done = QaReview.objects.filter(
        agent_id__in=agent_ids, completed_at__gte=period.start, completed_at__lt=period.end,
        score__isnull=False,
    ).values("agent_id").annotate(avg=Avg("score")).order_by()  # fmt: skip
    return {row["agent_id"]: round(row["avg"], 1) for row in done}


def qa_by_team(period: Period, team_ids: list[int] | None) -> list[dict[str, Any]]:
    reviews = QaReview.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
    if team_ids is not None:
        reviews = reviews.filter(agent__teams__in=team_ids)
    found = reviews.values("agent__code").annotate(
        reviews=Count("pk", distinct=True),
        done=Count("pk", filter=Q(state=QaReview.State.DONE), distinct=True),
        overdue=Count("pk", filter=Q(overdue_at__isnull=False), distinct=True),
        appealed=Count("pk", filter=Q(appeal_state__in=["open", "upheld", "overturned"]),
                       distinct=True),
        score=Avg("score"),
    ).order_by("agent__code")  # fmt: skip
    return [
        {
            **{k: v for k, v in row.items() if k != "agent__code"},
            "agent": row["agent__code"] or "—",
            "score": None if row["score"] is None else round(row["score"], 1),
        }
        for row in found
    ]
