"""Reads of the audit log: admins only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kefu.accounts.access import Viewer
from kefu.audit.models import AuditEntry
from kefu.errors import Forbidden
from kefu.reports.exports import Sheet


def entries(
    viewer: Viewer, *, kind: str = "", since: datetime | None = None, until: datetime | None = None
) -> QuerySet[AuditEntry]:
    if not viewer.is_admin or viewer.system:
        raise Forbidden(_("Only administrators may read the audit log."))
    found = AuditEntry.objects.all()
    if kind:
        found = found.filter(kind=kind)
    if since is not None:
        found = found.filter(at__gte=since)
    if until is not None:
        found = found.filter(at__lt=until)
    return found


def as_sheet(found: QuerySet[AuditEntry], title: str) -> Sheet:
    header = ["id", "at", "kind", "actor_id", "actor", "target", "address", "detail"]
    rows: list[Sequence[Any]] = [
        [e.pk, e.at, e.kind, e.actor_id, e.actor_label, e.target, e.address or "", str(e.detail)]
        for e in found.iterator()
    ]
    return Sheet(title, header, rows)
