"""``/api/v1/archive``: archived tickets, read only (the "include archived" search)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from kefu.accounts.access import request_viewer
from kefu.archive import queries
from kefu.errors import NotFound

router = Router(tags=["archive"])


class ArchivedOut(Schema):
    number: str
    subject: str
    status: str
    channel: str
    created_at: datetime
    closed_at: datetime | None
    archived_at: datetime


class ArchivedDetail(ArchivedOut):
    messages: list[dict]
    events: list[dict]


@router.get("/archive/tickets", response=list[ArchivedOut], summary="Search archived tickets")
def search(request: HttpRequest, q: str = "", limit: int = 50) -> list[ArchivedOut]:
    rows = queries.search(request_viewer(request), q[:200])[: max(1, min(limit, 200))]
    return [ArchivedOut.from_orm(row) for row in rows]


@router.get("/archive/tickets/{number}", response=ArchivedDetail, summary="An archived ticket")
def detail(request: HttpRequest, number: str) -> ArchivedDetail:
    viewer = request_viewer(request)
    found = queries.find(viewer, number)
    if found is None:
        raise NotFound()
    messages = [m for m in found.snapshot.get("messages", [])
                if viewer.is_agent or not m.get("is_internal")]  # fmt: skip
    events = found.snapshot.get("events", []) if viewer.is_agent else []
    return ArchivedDetail(**ArchivedOut.from_orm(found).dict(), messages=messages, events=events)
