"""``/api/v1/deliveries``: what Kefu sent or is trying to send (administrators), and retrying
what failed."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from ninja import Path, Query, Router, Schema
from pydantic import Field

from kefu.accounts.access import request_viewer
from kefu.api import BearerAuth, SessionAuth
from kefu.delivery import outbox
from kefu.delivery.models import Delivery
from kefu.errors import Forbidden, InvalidTransition
from kefu.schemas import errors
from kefu.validation import Id

router = Router(tags=["delivery"])


class DeliveryOut(Schema):
    id: int
    key: str
    channel: str
    kind: str
    state: str
    ticket: str | None
    to: list[str]
    subject: str
    event: str
    attempts: int
    lost_leases: int
    last_error: str
    next_attempt_at: datetime | None
    created_at: datetime
    sent_at: datetime | None

    @classmethod
    def of(cls, d: Delivery) -> DeliveryOut:
        return cls(
            id=d.pk, key=d.key, channel=d.channel, kind=d.kind, state=d.state,
            ticket=d.ticket.number if d.ticket else None, to=d.to, subject=d.subject,
            event=d.event, attempts=d.attempts, lost_leases=d.lost_leases,
            last_error=d.last_error, next_attempt_at=d.next_attempt_at,
            created_at=d.created_at, sent_at=d.sent_at,
        )  # fmt: skip


class DeliveryFilters(Schema):
    state: Literal["pending", "sending", "sent", "failed", "dead"] | None = None
    channel: Literal["email", "webhook", "wechat"] | None = None
    limit: int = Field(50, ge=1, le=200)


def _admin(request: HttpRequest) -> None:
    if not request_viewer(request).is_admin:
        raise Forbidden(_("Only administrators may see and retry deliveries."))


@router.get(
    "/deliveries",
    response={200: list[DeliveryOut], **errors(403)},
    summary="Recent deliveries (admins)",
)
def listing(request: HttpRequest, filters: Query[DeliveryFilters]) -> list[DeliveryOut]:
    _admin(request)
    found = Delivery.objects.select_related("ticket").order_by("-created_at")
    if filters.state:
        found = found.filter(state=filters.state)
    if filters.channel:
        found = found.filter(channel=filters.channel)
    return [DeliveryOut.of(d) for d in found[: filters.limit]]


class RetryOut(Schema):
    id: int
    state: str


@router.post(
    "/deliveries/{delivery_id}/retry",
    auth=[BearerAuth(), SessionAuth()],
    response={200: RetryOut, **errors(403, 409)},
    url_name="retry_delivery",
)
def retry(request: HttpRequest, delivery_id: Path[Id]) -> Any:
    """Send a failed or given-up delivery again (admins). htmx callers get the updated row."""
    _admin(request)
    delivery = get_object_or_404(Delivery, pk=delivery_id)
    if not outbox.retry(delivery):
        raise InvalidTransition(_("Only deliveries that failed can be sent again."))
    delivery.refresh_from_db()
    outbox.wake()
    if request.headers.get("HX-Request"):
        html = render_to_string(
            "delivery/_row.html", {"delivery": delivery, "user": request.user}, request
        )
        return HttpResponse(html)
    return {"id": delivery.pk, "state": delivery.state}
