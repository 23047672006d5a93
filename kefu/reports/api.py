"""``/api/v1/reports``: the summary (leads, QA, admins) and the monthly service health
(public when an administrator switches it on)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from kefu.accounts.access import request_viewer
from kefu.api import BearerAuth
from kefu.errors import NotFound
from kefu.reports import figures, health, params
from kefu.schemas import errors

router = Router(tags=["reports"])


class Csat(Schema):
    satisfied: float | None
    neutral: float | None
    unsatisfied: float | None
    ratings: int
    response_rate: float | None


class Deflection(Schema):
    visits: int = Field(description="Self-service visits whose 24-h window has closed")
    deflected: int = Field(description="Visits not followed by a ticket or a handoff in 24 h")
    help_rate: float | None = Field(description="Deflection of help-centre reading")
    bot_rate: float | None = Field(description="Deflection of chats the bot answered")


class Figures(Schema):
    tickets_created: int
    first_response_median_seconds: float | None = Field(
        description="Business seconds on the calendar named in `calendar`"
    )
    first_response_p90_seconds: float | None
    first_response_wall_median_seconds: float | None
    first_response_wall_p90_seconds: float | None
    next_response_median_seconds: float | None
    next_response_p90_seconds: float | None
    resolution_median_seconds: float | None
    resolution_p90_seconds: float | None
    resolution_wall_median_seconds: float | None
    resolution_wall_p90_seconds: float | None
    tickets_resolved: int
    solved_within_24h_rate: float | None
    reopen_rate: float | None
    sla_attainment_rate: float | None
    sla: dict[str, dict[str, Any]]
    csat: Csat
    complaints_per_100: float | None
    nudges_per_100: float | None
    bot_containment_rate: float | None
    kb_deflection_rate: float | None = Field(
        description="Share of help-centre and bot self-service visits not followed by a ticket "
        "or a handoff within 24 h; null under a team, agent, channel, category or tier filter"
    )
    kb_deflection: Deflection | None
    backlog: int
    backlog_by_age: dict[str, int]


class PreviousFigures(Figures):
    from_: date = Field(alias="from")
    to: date


class SummaryOut(Figures):
    from_: date = Field(alias="from")
    to: date
    calendar: str
    previous: PreviousFigures


class SummaryQuery(Schema):
    from_: date | None = Field(None, alias="from")
    to: date | None = None
    team: str | None = None
    channel: str | None = None
    category: str | None = None
    agent: str | None = None
    tier: str | None = None
    language: str | None = None


def _query(query: Schema) -> dict[str, str]:
    values = query.dict(by_alias=True)
    return {k: str(v) for k, v in values.items() if v not in (None, "")}


@router.get("/summary", response={200: SummaryOut, **errors(403)}, by_alias=True,
            summary="Report figures for a period, with the previous period")  # fmt: skip
def summary(request: HttpRequest, query: Query[SummaryQuery]) -> dict[str, Any]:
    raw = _query(query)
    return figures.summary(request_viewer(request), params.period_of(raw), params.filters_of(raw))


class HealthOut(Schema):
    month: str
    calendar: str
    tickets: int
    first_response_median_seconds: float | None
    solved_within_24h_rate: float | None
    csat_satisfied_rate: float | None
    csat_ratings: int


@router.get(
    "/service-health",
    response={200: HealthOut, **errors(404)},
    auth=[BearerAuth(), health.optional_auth],
    summary="The month's published service health",
)
def service_health(request: HttpRequest, month: str) -> dict[str, Any]:
    if not health.may_view(request_viewer(request)):
        raise NotFound()
    return health.month_health(params.month_period(month), month)
