"""The dashboard's breakdowns: volume per day, channel, category and team, the weekday × hour
heatmap (in Asia/Shanghai and in the viewer's zone), and per-agent figures with QA scores."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, Q, QuerySet

from kefu.accounts.models import Agent, Team
from kefu.escalation.models import QaReview
from kefu.reports import buckets
from kefu.reports.facts import SHANGHAI
from kefu.reports.figures import SATISFACTION, Period, in_period
from kefu.reports.models import DailyBucket, TicketFact
from kefu.reports.stats import grouped_medians
from kefu.tickets.models import Category, Channel

GROUPS = ("day", "channel", "category_id", "team_id", "utc_hour_of_week")
# Per breakdown (a field of GROUPS): its value → (tickets created, of them solved within 24 h).
Counts = dict[str, dict[Any, tuple[int, ...]]]


def grouped_counts(
    rows: QuerySet[TicketFact], days: QuerySet[DailyBucket], period: Period
) -> Counts:
    """The period's tickets counted by day, channel, category and team from its daily buckets,
    and by hour of the week from its facts (one GROUP BY; buckets have no hours)."""
    in_days = buckets.between(days, period.first, period.last)
    found = {field: buckets.grouped(in_days, field, "created", "within_24h")
             for field in GROUPS if field != "utc_hour_of_week"}  # fmt: skip
    hours = (
        in_period(rows, period)
        .values("utc_hour_of_week")
        .annotate(n=Count("pk"), within=Count("pk", filter=Q(resolution_wall__lte=buckets.DAY)))
    )
    found["utc_hour_of_week"] = {
        row["utc_hour_of_week"]: (row["n"], row["within"]) for row in hours.order_by()
    }
    return found


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


def agents(
    rows: QuerySet[TicketFact], days: QuerySet[DailyBucket], period: Period
) -> list[dict[str, Any]]:
    """Per agent: tickets handled and CSAT from the daily buckets, the first-response median
    (exact) from the facts."""
    in_days = buckets.between(days, period.first, period.last).exclude(agent_id=buckets.NONE)
    counted = buckets.grouped(in_days, "agent_id", "created", *SATISFACTION)
    medians = grouped_medians(
        in_period(rows, period).filter(agent_id__isnull=False),
        "agent_id",
        "first_response_business",
    )
    ids = [int(pk) for pk in counted]
    codes = dict(Agent.objects.filter(pk__in=ids).values_list("pk", "code"))
    qa = qa_scores(ids, period)
    return sorted(
        [{"agent": codes.get(pk, "—"), "handled": n[0],
          "first_response_median_seconds": _round(medians.get(pk)),
          "csat_satisfied_rate": _share(n[1], sum(n[1:])),
          "qa_score": qa.get(pk)}
         for pk, n in counted.items()],
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
