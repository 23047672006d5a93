"""Service health as buyer support publishes it: per month, the first-response median, the
share solved within 24 hours and satisfaction, over every team and channel."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kefu.accounts.access import Viewer
from kefu.reports.buckets import between
from kefu.reports.facts import report_calendar_code
from kefu.reports.figures import Period, cohort_figures, in_period, may_see_reports
from kefu.reports.models import DailyBucket, ReportSettings, TicketFact


def is_public() -> bool:
    return ReportSettings.current().service_health_public


def may_view(viewer: Viewer) -> bool:
    return is_public() or may_see_reports(viewer)


def optional_auth(request: HttpRequest) -> Any:
    """Lets anonymous callers through to the view, which decides (public or not)."""
    return True


def month_health(period: Period, month: str) -> dict[str, Any]:
    rows = in_period(TicketFact.objects.all(), period)
    found = cohort_figures(rows, between(DailyBucket.objects.all(), period.first, period.last))
    return {
        "month": month,
        "calendar": report_calendar_code(),
        "tickets": found["tickets_created"],
        "first_response_median_seconds": found["first_response_wall_median_seconds"],
        "solved_within_24h_rate": found["solved_within_24h_rate"],
        "csat_satisfied_rate": found["csat"]["satisfied"],
        "csat_ratings": found["csat"]["ratings"],
    }
