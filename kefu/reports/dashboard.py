"""What the dashboard shows and exports: the summary with comparison, and the breakdowns, as
one structure (the page, its charts and the XLSX/CSV exports all read the same numbers)."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.accounts.access import Viewer
from kefu.reports import breakdowns, figures
from kefu.reports.exports import Sheet
from kefu.reports.figures import Filters, Period
from kefu.sla.models import Metric

SHANGHAI = "Asia/Shanghai"
# (key, label) of the figures in the summary table, in the order shown.
ROWS = (
    ("tickets_created", gettext_lazy("Tickets created")),
    ("first_response_median_seconds", gettext_lazy("First response, median (business s)")),
    ("first_response_p90_seconds", gettext_lazy("First response, p90 (business s)")),
    ("first_response_wall_median_seconds", gettext_lazy("First response, median (wall s)")),
    ("first_response_wall_p90_seconds", gettext_lazy("First response, p90 (wall s)")),
    ("next_response_median_seconds", gettext_lazy("Next response, median (business s)")),
    ("next_response_p90_seconds", gettext_lazy("Next response, p90 (business s)")),
    ("resolution_median_seconds", gettext_lazy("Resolution, median (business s)")),
    ("resolution_p90_seconds", gettext_lazy("Resolution, p90 (business s)")),
    ("resolution_wall_median_seconds", gettext_lazy("Resolution, median (wall s)")),
    ("resolution_wall_p90_seconds", gettext_lazy("Resolution, p90 (wall s)")),
    ("solved_within_24h_rate", gettext_lazy("Solved within 24 h")),
    ("sla_attainment_rate", gettext_lazy("SLA attainment")),
    ("reopen_rate", gettext_lazy("Reopen rate")),
    ("backlog", gettext_lazy("Backlog at the end")),
    ("complaints_per_100", gettext_lazy("Complaints per 100 tickets")),
    ("nudges_per_100", gettext_lazy("Nudges per 100 tickets")),
    ("bot_containment_rate", gettext_lazy("Chats resolved without handoff")),
    (
        "kb_deflection_rate",
        gettext_lazy("Knowledge-base deflection (self-service without a ticket in 24 h)"),
    ),
)
CSAT_ROWS = (
    ("satisfied", gettext_lazy("Satisfied")),
    ("neutral", gettext_lazy("Neutral")),
    ("unsatisfied", gettext_lazy("Unsatisfied")),
    ("response_rate", gettext_lazy("Rating response rate")),
)


def viewer_zone(name: str) -> str:
    return name if name in available_timezones() else SHANGHAI


def build(viewer: Viewer, period: Period, filters: Filters, zone: str) -> dict[str, Any]:
    summary = figures.summary(viewer, period, filters)
    rows, days = figures.facts(viewer, filters), figures.day_buckets(viewer, filters)
    counts = breakdowns.grouped_counts(rows, days, period)
    return {
        "summary": summary,
        "daily": breakdowns.daily(counts, period),
        "channels": breakdowns.volume(counts, "channel"),
        "categories": breakdowns.volume(counts, "category_id"),
        "teams": breakdowns.volume(counts, "team_id"),
        "heatmap": breakdowns.heatmap(counts, period, SHANGHAI),
        "heatmap_local": breakdowns.heatmap(counts, period, zone),
        "zone": zone,
        "agents": breakdowns.agents(rows, period),
        "qa": breakdowns.qa_by_team(period, figures.team_scope(viewer)),
    }


def kind_of(key: str) -> str:
    return "rate" if key.endswith("rate") else "seconds" if key.endswith("seconds") else ""


def summary_rows(data: dict[str, Any]) -> list[tuple[str, Any, Any, str]]:
    """(label, this period, previous period, "rate" | "seconds" | "") per figure."""
    now, before = data["summary"], data["summary"]["previous"]
    rows = [(str(label), now[key], before[key], kind_of(key)) for key, label in ROWS]
    rows += [(_("CSAT: %(what)s") % {"what": label}, now["csat"][key], before["csat"][key],
              "rate") for key, label in CSAT_ROWS]  # fmt: skip
    rows += [(_("SLA attainment: %(metric)s") % {"metric": Metric(metric).label},
              value["attainment_rate"], before["sla"][metric]["attainment_rate"], "rate")
             for metric, value in now["sla"].items()]  # fmt: skip
    rows += [(_("SLA breaches: %(metric)s") % {"metric": Metric(metric).label},
              value["breached"], before["sla"][metric]["breached"], "")
             for metric, value in now["sla"].items()]  # fmt: skip
    return rows


def sheets(data: dict[str, Any]) -> list[Sheet]:
    s = data["summary"]
    period = f"{s['from']}..{s['to']}"
    previous = f"{s['previous']['from']}..{s['previous']['to']}"
    volume_header = [_("Name"), _("Tickets")]
    days = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    return [
        Sheet(_("Summary"), [_("Figure"), period, previous],
              [list(r[:3]) for r in summary_rows(data)]),
        Sheet(_("Daily"), [_("Day"), _("Created"), _("Solved within 24 h")],
              [[d["day"], d["created"], d["solved_within_24h"]] for d in data["daily"]]),
        Sheet(_("Channels"), volume_header, [[v["label"], v["tickets"]] for v in data["channels"]]),
        Sheet(_("Categories"), volume_header,
              [[v["label"], v["tickets"]] for v in data["categories"]]),
        Sheet(_("Teams"), volume_header, [[v["label"], v["tickets"]] for v in data["teams"]]),
        Sheet(_("Agents"), [_("Agent"), _("Handled"), _("First response, median (business s)"),
                            _("Satisfied"), _("QA score")],
              [[a["agent"], a["handled"], a["first_response_median_seconds"],
                a["csat_satisfied_rate"], a["qa_score"]] for a in data["agents"]]),
        Sheet(_("Heatmap (Asia/Shanghai)"), ["", *[f"{h:02d}" for h in range(24)]],
              [[days[i], *row] for i, row in enumerate(data["heatmap"])]),
        Sheet(_("Heatmap (your zone)"), [data["zone"], *[f"{h:02d}" for h in range(24)]],
              [[days[i], *row] for i, row in enumerate(data["heatmap_local"])]),
    ]  # fmt: skip
