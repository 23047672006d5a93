"""The report's figures over a period, from the fact rows (``kefu.reports.facts``).

The period is a range of whole days in Asia/Shanghai; the tickets created in it are the cohort
that response, resolution, SLA, CSAT, complaint and nudge figures describe. The backlog is what
was still unresolved at the period's end. Every figure is also given for the previous period
of the same length, for comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.access import Viewer
from kefu.accounts.models import Agent
from kefu.errors import Forbidden, Invalid
from kefu.reports import buckets
from kefu.reports.deflection import deflection
from kefu.reports.facts import METRIC_BITS, SHANGHAI, report_calendar_code
from kefu.reports.models import DailyBucket, TicketFact
from kefu.reports.stats import list_percentiles, percentile_aggregates, percentiles_of

MAX_DAYS = 366
SATISFACTION = ("satisfied", "neutral", "unsatisfied")
# Backlog age buckets, in days: under 1, 1–3, 3–7, 7 and more.
AGE_BUCKETS = ((0, 1), (1, 3), (3, 7), (7, None))


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), tzinfo=SHANGHAI)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(), tzinfo=SHANGHAI)

    def previous(self) -> Period:
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1))

    @classmethod
    def of(cls, first: date, last: date) -> Period:
        if last < first:
            raise Invalid(_("The period must not end before it starts."), field="to")
        if (last - first).days >= MAX_DAYS:
            raise Invalid(_("A period may span at most 366 days."), field="to")
        return cls(first, last)


@dataclass(frozen=True)
class Filters:
    channel: str = ""
    category: int | None = None
    team: int | None = None
    agent: int | None = None
    tier: str = ""
    language: str = ""


def may_see_reports(viewer: Viewer) -> bool:
    agent = viewer.agent
    if viewer.is_admin or (agent is not None and agent.role == Agent.Role.QA):
        return True
    return agent is not None and (agent.role == Agent.Role.LEAD or agent.led_teams.exists())


def team_scope(viewer: Viewer) -> list[int] | None:
    """Admins and QA see every team (None); leads see the teams they lead or belong to."""
    if not may_see_reports(viewer):
        raise Forbidden(_("Reports are for team leads, QA and administrators."))
    if viewer.is_admin or viewer.sees_all_tickets:
        return None
    assert viewer.agent is not None
    led = set(viewer.agent.led_teams.values_list("pk", flat=True))
    return sorted(led | set(viewer.team_ids))


def scope(viewer: Viewer) -> Q:
    teams = team_scope(viewer)
    return Q() if teams is None else Q(team_id__in=teams)


def narrowed(rows: QuerySet[Any], viewer: Viewer, filters: Filters) -> QuerySet[Any]:
    """Facts or daily buckets (the same filter columns) in the viewer's scope and filters."""
    rows = rows.filter(scope(viewer))
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    for name in ("category", "team", "agent"):
        value = getattr(filters, name)
        if value is not None:
            rows = rows.filter(**{f"{name}_id": value})
    if filters.tier:
        rows = rows.filter(tier=filters.tier)
    if filters.language:
        rows = rows.filter(language=filters.language)
    return rows


def facts(viewer: Viewer, filters: Filters) -> QuerySet[TicketFact]:
    return narrowed(TicketFact.objects.all(), viewer, filters)


def day_buckets(viewer: Viewer, filters: Filters) -> QuerySet[DailyBucket] | None:
    """The daily buckets in scope and filters; None under a category or agent filter (not in
    the buckets' key: then the facts are counted)."""
    if filters.category is not None or filters.agent is not None:
        return None
    return narrowed(DailyBucket.objects.all(), viewer, filters)


def _rate(part: int | None, whole: int | None) -> float | None:
    return round(part / whole, 4) if whole and part is not None else None


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _per_100(part: int | None, whole: int) -> float | None:
    return round(100 * (part or 0) / whole, 2) if whole else None


TIMES = {field: (0.5, 0.9) for field in ("first_response_business", "first_response_wall",
                                          "resolution_business", "resolution_wall")}  # fmt: skip


def cohort_figures(
    rows: QuerySet[TicketFact], days: QuerySet[DailyBucket] | None
) -> dict[str, Any]:
    """A cohort's figures: counts from its daily buckets ``days`` (or, without buckets, from
    its facts in the pass that takes the percentiles), time percentiles (exact) from its facts
    ``rows`` (one pass for the four columns on PostgreSQL, a second for the next responses)."""
    counted = {} if days is not None else buckets.COUNTS
    found = rows.aggregate(**counted, **percentile_aggregates(TIMES))
    counts = buckets.totals(days) if days is not None else found
    times = percentiles_of(rows, TIMES, found)
    fr_b, fr_w = times["first_response_business"], times["first_response_wall"]
    res_b, res_w = times["resolution_business"], times["resolution_wall"]
    next_b = list_percentiles(rows, "next_responses", (0.5, 0.9))
    created = counts["created"]
    rated = sum(counts[r] for r in SATISFACTION)
    return {
        "tickets_created": created,
        "first_response_median_seconds": _r(fr_b[0]),
        "first_response_p90_seconds": _r(fr_b[1]),
        "first_response_wall_median_seconds": _r(fr_w[0]),
        "first_response_wall_p90_seconds": _r(fr_w[1]),
        "next_response_median_seconds": _r(next_b[0]),
        "next_response_p90_seconds": _r(next_b[1]),
        "resolution_median_seconds": _r(res_b[0]),
        "resolution_p90_seconds": _r(res_b[1]),
        "resolution_wall_median_seconds": _r(res_w[0]),
        "resolution_wall_p90_seconds": _r(res_w[1]),
        "tickets_resolved": counts["resolved"],
        "solved_within_24h_rate": _rate(counts["within_24h"], created),
        "reopen_rate": _rate(counts["reopened"], counts["resolved"]),
        **sla_figures(counts),
        "csat": {
            **{r: _rate(counts[r], rated) for r in SATISFACTION},
            "ratings": rated,
            "response_rate": _rate(rated, counts["resolved"]),
        },
        "complaints_per_100": _per_100(counts["complaints"], created),
        "nudges_per_100": _per_100(counts["nudges"], created),
        "bot_containment_rate": _rate(counts["contained"], counts["chats"]),
    }


def sla_figures(counts: dict[str, Any]) -> dict[str, Any]:
    per_target = {
        m: {"tickets": counts[f"t_{m}"], "breached": counts[f"b_{m}"],
            "attainment_rate": _rate(counts[f"t_{m}"] - counts[f"b_{m}"], counts[f"t_{m}"])}
        for m in METRIC_BITS
    }  # fmt: skip
    return {"sla_attainment_rate": _rate(counts["met"], counts["with_target"]), "sla": per_target}


def backlogs(
    rows: QuerySet[TicketFact], days: QuerySet[DailyBucket] | None, instants: list[datetime]
) -> list[dict[str, Any]]:
    """The backlog at each instant: tickets created before it and not yet (first) resolved by
    then, by age. Counted apart, each for all instants in one query: those still unresolved
    that were created in the week before an instant (from the facts, a short range of the
    ``fact_unresolved`` index), those still unresolved from earlier days (the buckets'
    ``unresolved``, or the facts without buckets: all aged 7 days and more), and those resolved
    since an instant (facts, ``fact_resolved``)."""
    cutoffs = [datetime.combine((at - timedelta(days=7)).astimezone(SHANGHAI).date(), time(),
                                tzinfo=SHANGHAI) for at in instants]  # fmt: skip
    counts: dict[str, Any] = {}
    for n, at in enumerate(instants):
        counts[f"{n}_total"] = Count("created_at", filter=Q(created_at__lt=at))
        for low, high in AGE_BUCKETS:
            band = Q(created_at__lt=at, created_at__lte=at - timedelta(days=low))
            if high is not None:
                band &= Q(created_at__gt=at - timedelta(days=high))
            counts[f"{n}_{low}-{high}d" if high else f"{n}_{low}d+"] = Count(
                "created_at", filter=band
            )
    recent = {key: Count("created_at", filter=count.filter & Q(created_at__gte=cutoffs[n]))
              for n in range(len(instants)) for key, count in counts.items()
              if key.startswith(f"{n}_")}  # fmt: skip
    still = rows.filter(resolved_at__isnull=True, created_at__gte=min(cutoffs)).aggregate(**recent)
    earlier = (
        days.filter(unresolved__gt=0, day__lt=max(cutoffs).date())  # ``bucket_unresolved``
        .aggregate(**{str(n): Sum("unresolved", filter=Q(day__lt=cutoff.date()))
                      for n, cutoff in enumerate(cutoffs)})
        if days is not None
        else rows.filter(resolved_at__isnull=True).aggregate(
            **{str(n): Count("created_at", filter=Q(created_at__lt=cutoff))
               for n, cutoff in enumerate(cutoffs)})
    )  # fmt: skip
    later_counts = {}
    for n, at in enumerate(instants):  # resolved after this instant, created before it
        for key, count in counts.items():
            if key.startswith(f"{n}_"):
                later_counts[key] = Count(
                    "created_at", filter=count.filter & Q(resolved_at__gte=at)
                )
    later = rows.filter(resolved_at__gte=min(instants)).aggregate(**later_counts)
    found = []
    for n in range(len(instants)):
        mine = {key.split("_", 1)[1]: still[key] + later[key] for key in still
                if key.startswith(f"{n}_")}  # fmt: skip
        old = earlier[str(n)] or 0
        mine["total"] += old
        mine[f"{AGE_BUCKETS[-1][0]}d+"] += old
        found.append({"backlog": mine.pop("total"), "backlog_by_age": mine})
    return found


def summary(viewer: Viewer, period: Period, filters: Filters) -> dict[str, Any]:
    rows, days = facts(viewer, filters), day_buckets(viewer, filters)
    now = timezone.now()
    before = period.previous()
    waiting, waited = backlogs(rows, days, [min(period.end, now), min(before.end, now)])
    return {
        "from": period.first,
        "to": period.last,
        "calendar": report_calendar_code(),
        **figures_for(rows, days, period, filters, now), **waiting,
        "previous": {"from": before.first, "to": before.last,
                     **figures_for(rows, days, before, filters, now), **waited},
    }  # fmt: skip


def in_period(rows: QuerySet[TicketFact], period: Period) -> QuerySet[TicketFact]:
    return rows.filter(created_at__gte=period.start, created_at__lt=period.end)


def figures_for(
    rows: QuerySet[TicketFact],
    days: QuerySet[DailyBucket] | None,
    period: Period,
    filters: Filters,
    now: datetime,
) -> dict[str, Any]:
    """The cohort's figures and the deflection (the backlog is counted for both periods at
    once, in ``summary``)."""
    cohort = cohort_figures(
        in_period(rows, period),
        None if days is None else buckets.between(days, period.first, period.last),
    )
    return {**cohort, **deflection(period, filters, now)}


def shifted(filters: Filters, **changes: Any) -> Filters:
    return replace(filters, **changes)
