"""How report numbers read: rates as percentages, seconds as durations, the change against
the previous period."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from kefu.sla.models import Metric

register = template.Library()


@register.filter
def rate(value: float | None) -> str:
    return "—" if value in (None, "") else f"{float(value) * 100:.1f}%"  # type: ignore[arg-type]


@register.filter
def duration(seconds: float | None) -> str:
    if seconds in (None, ""):
        return "—"
    seconds = float(seconds)
    if seconds < 120:
        return _("%(n)s s") % {"n": round(seconds)}
    if seconds < 7200:
        return _("%(n)s min") % {"n": round(seconds / 60, 1)}
    return _("%(n)s h") % {"n": round(seconds / 3600, 1)}


@register.filter
def figure(value: Any, kind: str = "") -> str:
    if value in (None, ""):
        return "—"
    if kind == "rate":
        return rate(value)
    if kind == "seconds":
        return duration(value)
    return str(value)


@register.filter
def weekday(index: int) -> str:
    return [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")][index]


@register.filter
def metric_label(value: str) -> str:
    return str(Metric(value).label) if value in Metric.values else value


@register.inclusion_tag("reports/_kpi.html")
def kpi(label: str, now: Any, before: Any, kind: str) -> dict[str, Any]:
    show = {"rate": rate, "seconds": duration}.get(kind, lambda v: "—" if v is None else str(v))
    change = None
    if now not in (None, "") and before not in (None, "", 0):
        change = (now - before) / before
    return {"label": label, "value": show(now), "before": show(before), "change": change}
