"""The audit log's export for admins (CSV or XLSX); exporting it is itself recorded."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from kefu.audit import queries
from kefu.audit.actions import record
from kefu.audit.models import Kind
from kefu.reports.exports import download
from kefu.tickets.views.common import agent_required


@agent_required
def export_audit(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    if not viewer.is_admin:
        raise Http404
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    kind = request.GET.get("kind", "") if request.GET.get("kind") in Kind.values else ""
    sheet = queries.as_sheet(queries.entries(viewer, kind=kind), "audit")
    record(Kind.EXPORT, target="audit log", detail={"format": fmt, "rows": len(sheet.rows)})
    return download([sheet], f"kefu-audit-{timezone.now():%Y%m%d}", fmt)
