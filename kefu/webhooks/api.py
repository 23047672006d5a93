"""``/api/v1/webhooks``: subscribe a URL to ticket events, list and delete subscriptions, and
see each one's recent calls with their attempts and last error."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Path, Router, Schema, Status
from pydantic import Field, StringConstraints

from kefu.accounts.access import request_viewer
from kefu.delivery.models import Delivery
from kefu.errors import Forbidden
from kefu.schemas import errors
from kefu.validation import Id
from kefu.webhooks import actions
from kefu.webhooks.models import EVENTS, Subscription

router = Router(tags=["webhooks"])
RECENT_CALLS = 50


class SubscriptionIn(Schema):
    url: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    events: list[Annotated[str, StringConstraints(max_length=40)]] = Field(
        min_length=1, max_length=len(EVENTS), description=f"Among: {', '.join(EVENTS)}"
    )
    secret: Annotated[str, StringConstraints(max_length=200)] = Field(
        "", description="Shared secret for X-Kefu-Signature; made for you when empty"
    )


class SubscriptionOut(Schema):
    id: int
    url: str
    events: list[str]
    is_active: bool
    failing_since: datetime | None
    disabled_reason: str
    created_at: datetime

    @classmethod
    def of(cls, subscription: Subscription) -> SubscriptionOut:
        return cls(
            id=subscription.pk,
            url=subscription.url,
            events=subscription.events,
            is_active=subscription.is_active,
            failing_since=subscription.failing_since,
            disabled_reason=subscription.disabled_reason,
            created_at=subscription.created_at,
        )


class CreatedOut(SubscriptionOut):
    secret: str = Field(description="Shown once: keep it to verify X-Kefu-Signature")


class CallOut(Schema):
    id: str
    event: str
    state: str
    attempts: int
    last_error: str
    next_attempt_at: datetime | None
    created_at: datetime
    sent_at: datetime | None


@router.post(
    "/webhooks", response={201: CreatedOut, **errors(403)}, summary="Subscribe a URL to events"
)
def create(request: HttpRequest, payload: SubscriptionIn) -> Status:
    subscription = actions.subscribe(
        owner=request_viewer(request),
        url=payload.url,
        events=payload.events,
        secret=payload.secret,
    )
    out = SubscriptionOut.of(subscription).model_dump()
    return Status(201, CreatedOut(**out, secret=subscription.secret))


@router.get(
    "/webhooks",
    response={200: list[SubscriptionOut], **errors(403)},
    summary="My webhook subscriptions",
)
def listing(request: HttpRequest) -> list[SubscriptionOut]:
    viewer = request_viewer(request)
    if not actions.may_subscribe(viewer):
        raise Forbidden(actions.NOT_ALLOWED)
    found = Subscription.objects.all()
    if not viewer.is_admin:
        found = found.filter(owner=viewer.user)
    return [SubscriptionOut.of(s) for s in found.order_by("-created_at")]


@router.get(
    "/webhooks/{subscription_id}/calls",
    response={200: list[CallOut], **errors(403)},
    summary="Recent calls of one",
)
def calls(request: HttpRequest, subscription_id: Path[Id]) -> list[dict[str, Any]]:
    subscription = actions.owned(request_viewer(request), subscription_id)
    found = Delivery.objects.filter(subscription=subscription).order_by("-created_at")
    return [
        {"id": d.key, "event": d.event, "state": d.state, "attempts": d.attempts,
         "last_error": d.last_error, "next_attempt_at": d.next_attempt_at,
         "created_at": d.created_at, "sent_at": d.sent_at}
        for d in found[:RECENT_CALLS]
    ]  # fmt: skip


@router.delete(
    "/webhooks/{subscription_id}", response={204: None, **errors(403)}, summary="Unsubscribe"
)
def delete(request: HttpRequest, subscription_id: Path[Id]) -> Status:
    actions.unsubscribe(owner=request_viewer(request), subscription_id=subscription_id)
    return Status(204, None)
