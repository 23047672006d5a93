"""``/api/v1/audit``: the audit log for admins — read only. There is no route that changes or
deletes an entry (other methods answer 405)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema

from kefu.accounts.access import request_viewer
from kefu.audit import queries
from kefu.audit.models import Kind
from kefu.schemas import errors

router = Router(tags=["audit"])


class AuditOut(Schema):
    id: int
    at: datetime
    kind: Kind
    actor_id: int | None
    actor: str
    target: str
    address: str | None
    detail: dict


class AuditFilters(Schema):
    kind: Kind | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 100
    offset: int = 0


@router.get(
    "/audit", response={200: list[AuditOut], **errors(403)}, summary="The audit log (admins)"
)
def audit_log(request: HttpRequest, filters: Query[AuditFilters]) -> list[AuditOut]:
    found = queries.entries(
        request_viewer(request),
        kind=filters.kind or "",
        since=filters.since,
        until=filters.until,
    )
    limit = max(1, min(filters.limit, 1000))
    rows = found[max(0, filters.offset) : max(0, filters.offset) + limit]
    return [
        AuditOut(id=e.pk, at=e.at, kind=Kind(e.kind), actor_id=e.actor_id, actor=e.actor_label,
                 target=e.target, address=e.address, detail=e.detail)
        for e in rows
    ]  # fmt: skip
