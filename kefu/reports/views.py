"""The reports dashboard (leads, QA, admins), its exports, and the service-health page."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kefu.accounts.access import request_viewer
from kefu.accounts.models import Agent, Organization, Team
from kefu.audit.actions import record
from kefu.audit.models import Kind as Audit
from kefu.errors import Invalid
from kefu.reports import dashboard, figures, health, params
from kefu.reports.exports import download
from kefu.sla.models import Metric
from kefu.tickets.models import Category, Channel
from kefu.tickets.views.common import agent_required


def _choices(viewer: Any) -> dict[str, Any]:
    teams = Team.objects.all()
    scoped = figures.team_scope(viewer)
    if scoped is not None:
        teams = teams.filter(pk__in=scoped)
    return {
        "channels": Channel.choices,
        "categories": Category.objects.filter(is_active=True),
        "teams": teams,
        "agent_choices": Agent.objects.filter(role=Agent.Role.AGENT).order_by("code"),
        "tiers": Organization.Tier.choices,
    }


def _inputs(request: HttpRequest) -> tuple[Any, Any, Any, str]:
    viewer = request.viewer  # type: ignore[attr-defined]
    if not figures.may_see_reports(viewer):
        raise Http404
    query = {k: str(v) for k, v in request.GET.items() if v}
    return viewer, params.period_of(query), params.filters_of(query), query.get("tz", "")


@agent_required
def reports_page(request: HttpRequest) -> HttpResponse:
    try:
        viewer, period, filters, zone = _inputs(request)
    except Invalid as error:
        return render(request, "reports/dashboard.html", {"error": error.message,
                      "query": request.GET, **_choices(request.viewer)}, status=422)  # type: ignore[attr-defined]  # fmt: skip
    data = dashboard.build(viewer, period, filters, dashboard.viewer_zone(zone))
    context = {
        **data, **_choices(viewer), "query": request.GET, "period": period,
        "hours": [f"{h:02d}" for h in range(24)],
        "rows": dashboard.summary_rows(data),
        "categories_volume": data["categories"],
        "charts": {"daily": data["daily"], "channels": data["channels"],
                   "categories": data["categories"],
                   "heatmap": data["heatmap"], "heatmap_local": data["heatmap_local"],
                   "sla": data["summary"]["sla"], "zone": data["zone"],
                   "sla_labels": {m.value: str(m.label) for m in Metric}},
    }  # fmt: skip
    return render(request, "reports/dashboard.html", context)


@agent_required
def reports_export(request: HttpRequest) -> HttpResponse:
    try:
        viewer, period, filters, zone = _inputs(request)
    except Invalid as error:
        return HttpResponse(str(error.message), status=422, content_type="text/plain")
    data = dashboard.build(viewer, period, filters, dashboard.viewer_zone(zone))
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    record(Audit.EXPORT, target="report", detail={"format": fmt, "from": str(period.first),
                                                  "to": str(period.last)})  # fmt: skip
    name = f"kefu-report-{period.first:%Y%m%d}-{period.last:%Y%m%d}"
    return download(dashboard.sheets(data), name, fmt)


def service_health_page(request: HttpRequest) -> HttpResponse:
    if not health.may_view(request_viewer(request)):
        raise Http404
    today = timezone.localdate()
    month = request.GET.get("month") or f"{today:%Y-%m}"
    try:
        figures_ = health.month_health(params.month_period(month), month)
    except Invalid as error:
        return render(request, "reports/health.html", {"error": error.message}, status=422)
    return render(request, "reports/health.html", {"health": figures_, "month": month})
