"""The only code that writes webhook subscriptions, and queues their calls.

Subscribing checks the URL (``ssrf``), the events and who may subscribe: administrators, and
customers' main accounts (for their organisation's tickets). Calls are outbox rows written in
the ticket change's own transaction; a subscription whose calls fail for a day is disabled, its
pending calls given up, and its owner told.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.accounts.access import Viewer
from kefu.delivery.models import Delivery
from kefu.errors import Forbidden, Invalid, NotFound
from kefu.notifications.actions import notify
from kefu.notifications.models import Kind
from kefu.tickets.models import Ticket
from kefu.webhooks.models import EVENTS, Subscription
from kefu.webhooks.ssrf import check_url

FAILING_FOR = timedelta(days=1)
MIN_SECRET = 16


NOT_ALLOWED = gettext_lazy("Only administrators and main accounts may manage webhooks.")


def may_subscribe(viewer: Viewer) -> bool:
    return viewer.user is not None and (
        viewer.is_admin or bool(viewer.account and viewer.account.is_main)
    )


def subscribe(*, owner: Viewer, url: str, events: Sequence[str], secret: str = "") -> Subscription:
    """A new subscription; a secret is made when none is given (shown to the owner once)."""
    if not may_subscribe(owner) or owner.user is None:
        raise Forbidden(NOT_ALLOWED)
    unknown = sorted(set(events) - set(EVENTS))
    if unknown or not events:
        raise Invalid(
            _("Choose events among: %(events)s.") % {"events": ", ".join(EVENTS)},
            field="events",
        )
    if secret and len(secret) < MIN_SECRET:
        raise Invalid(
            _("The secret must be at least %(n)s characters.") % {"n": MIN_SECRET},
            field="secret",
        )
    check_url(url)
    return Subscription.objects.create(
        owner=owner.user,
        url=url,
        events=sorted(set(events)),
        secret=secret or secrets.token_urlsafe(32),
    )


def owned(owner: Viewer, subscription_id: int) -> Subscription:
    """The owner's subscription (administrators: any); NotFound otherwise."""
    if not may_subscribe(owner):
        raise Forbidden(NOT_ALLOWED)
    found = Subscription.objects.filter(pk=subscription_id)
    if not owner.is_admin:
        found = found.filter(owner=owner.user)
    subscription = found.first()
    if subscription is None:
        raise NotFound()
    return subscription


def unsubscribe(*, owner: Viewer, subscription_id: int) -> None:
    owned(owner, subscription_id).delete()


def queue_call(
    subscription: Subscription, event: str, payload: dict[str, Any], ticket: Ticket
) -> None:
    key = str(uuid.uuid4())
    Delivery.objects.create(
        channel=Delivery.Channel.WEBHOOK,
        kind=Delivery.Kind.EVENT,
        key=key,
        ticket=ticket,
        subscription=subscription,
        event=event,
        payload={"id": key, "event": event, "created_at": timezone.now().isoformat(), **payload},
        next_attempt_at=timezone.now(),
    )


def note_success(delivery: Delivery) -> None:
    Subscription.objects.filter(
        pk=delivery.subscription_id or 0, failing_since__isnull=False
    ).update(failing_since=None)


def note_failure(delivery: Delivery, now: datetime) -> None:
    """Inside the outbox's failure record: start the failing clock, or disable after a day."""
    subscription = delivery.subscription
    assert subscription is not None
    if subscription.failing_since is None:
        Subscription.objects.filter(pk=subscription.pk, failing_since__isnull=True).update(
            failing_since=now
        )
    elif now - subscription.failing_since >= FAILING_FOR and subscription.is_active:
        _disable(subscription, delivery.last_error)


def _disable(subscription: Subscription, error: str) -> None:
    with transaction.atomic():
        reason = error[:500]
        Subscription.objects.filter(pk=subscription.pk).update(
            is_active=False, disabled_reason=reason
        )
        Delivery.objects.filter(
            subscription=subscription, state__in=(Delivery.State.PENDING, Delivery.State.FAILED)
        ).update(state=Delivery.State.DEAD, next_attempt_at=None)
        notify([subscription.owner], Kind.WEBHOOK_DISABLED, ticket=None,
               params={"url": subscription.url, "error": reason}, email=True)  # fmt: skip
