"""The delivery worker: takes due outbox rows, hands each to its channel's adapter, records the
outcome.

Exactly once, as far as the far side allows: a row is claimed with a conditional UPDATE (state
and due time checked in the same statement), so of several workers one wins; the claim is a
lease, so a row whose worker died is taken again once the lease runs out — the only case in
which something may go out twice, which is logged and counted on the row (``lost_leases``). A
row that loses its lease twice is not sent a third time: it is given up and shown to admins.
Failures are retried with growing delays per channel, then given up (``dead``); an admin may
send a given-up row again. The flow wakes the worker as soon as a change that queued rows
commits, so in-process deliveries start at once; other processes look at least every second.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.db.models import F, Min, Q
from django.utils import timezone

from kefu.delivery.models import Delivery
from kefu.jobs.sweepers import Sweeper

log = logging.getLogger("kefu.delivery")

State = Delivery.State
DUE_STATES = (State.PENDING, State.FAILED, State.SENDING)
BATCH = 50
MAX_LOST_LEASES = 2
# Delays before each retry; after the last the row is given up.
BACKOFF: dict[str, list[timedelta]] = {
    Delivery.Channel.EMAIL: [timedelta(minutes=m) for m in (1, 5, 15, 60, 180, 360, 720)],
    # 8 tries over about a day.
    Delivery.Channel.WEBHOOK: [timedelta(minutes=m) for m in (1, 4, 25, 90, 180, 300, 840)],
    # 6 tries over about 2 hours: WeChat takes customer-service messages only within 48 hours
    # of the follower's last message, so a reply is worth little days later.
    Delivery.Channel.WECHAT: [timedelta(minutes=m) for m in (1, 5, 15, 30, 60)],
}


def tries(channel: str) -> int:
    """How many attempts a delivery on ``channel`` gets before it is given up."""
    return len(BACKOFF[channel]) + 1


class DeliveryFailed(Exception):
    """The far side refused or could not be reached; ``str()`` says how."""


class Adapter(Protocol):
    """One per channel and sweep; may keep a connection across the sweep's rows."""

    def send(self, delivery: Delivery) -> None:
        """Deliver or raise. Called with the row claimed."""

    def sent(self, delivery: Delivery) -> None:
        """After a success, inside no transaction: what the channel keeps of it."""

    def failed(self, delivery: Delivery, now: datetime, dead: bool) -> None:
        """After a failure, in the unit of work that records it: what the channel keeps."""

    def close(self) -> None: ...


def _adapters() -> dict[str, Callable[[], Adapter]]:
    from kefu.delivery.email import MailSender
    from kefu.intake.wechat.sender import WechatSender
    from kefu.webhooks.calls import WebhookSender

    return {
        Delivery.Channel.EMAIL: MailSender,
        Delivery.Channel.WEBHOOK: WebhookSender,
        Delivery.Channel.WECHAT: WechatSender,
    }


def lease() -> timedelta:
    return timedelta(seconds=settings.KEFU_DELIVERY_LEASE_SECONDS)


_wake = threading.Event()


def wake(*args: Any) -> None:
    """A change that may have queued deliveries committed (``kefu.flow``): look now."""
    _wake.set()


def _due(now: datetime) -> Q:
    return Q(state__in=DUE_STATES, next_attempt_at__lte=now)


def next_due() -> datetime | None:
    return Delivery.objects.filter(state__in=DUE_STATES).aggregate(due=Min("next_attempt_at"))[
        "due"
    ]


def _claim(delivery_id: int, now: datetime) -> Delivery | None:
    """Take the row for one attempt (a lease); None when another worker has it."""
    claimed = Delivery.objects.filter(_due(now), pk=delivery_id).update(
        state=State.SENDING, next_attempt_at=now + lease(), attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    return Delivery.objects.select_related("ticket", "subscription").get(pk=delivery_id)


def send_due(now: datetime) -> int:
    """Deliver what is due at ``now``; returns how many went out."""
    ids = list(
        Delivery.objects.filter(_due(now))
        .order_by("next_attempt_at")
        .values_list("pk", "state")[:BATCH]
    )
    senders: dict[str, Adapter] = {}
    sent = 0
    try:
        for delivery_id, state in ids:
            delivery = _claim(delivery_id, now)
            if delivery is None:
                continue  # another worker took it
            if state == State.SENDING and not _after_lost_lease(delivery):
                continue
            if delivery.channel not in senders:
                senders[delivery.channel] = _adapters()[delivery.channel]()
            sent += _attempt(senders[delivery.channel], delivery, now)
    finally:
        for sender in senders.values():
            sender.close()
    return sent


def _after_lost_lease(delivery: Delivery) -> bool:
    """The worker that held the row died mid-attempt: it may have gone out. Send once more,
    logged and counted; a second lost lease gives it up rather than risk a third copy."""
    delivery.lost_leases += 1
    if delivery.lost_leases >= MAX_LOST_LEASES:
        reason = "two workers died while sending it; not sent again to avoid duplicates"
        _mark(delivery, state=State.DEAD, next_attempt_at=None, last_error=reason,
              lost_leases=delivery.lost_leases)  # fmt: skip
        log.error("delivery %s given up: %s", delivery.pk, reason)
        return False
    Delivery.objects.filter(pk=delivery.pk).update(lost_leases=delivery.lost_leases)
    log.warning("delivery %s: its worker died while sending; it may go out twice", delivery.pk)
    return True


def _attempt(sender: Adapter, delivery: Delivery, now: datetime) -> int:
    """One attempt; a failure is scheduled again from ``now``, the sweep's instant."""
    try:
        sender.send(delivery)
    except Exception as error:  # any refusal or network failure is retried later
        _record_failure(sender, delivery, error, now)
        return 0
    _mark(delivery, state=State.SENT, sent_at=timezone.now(), next_attempt_at=None)
    sender.sent(delivery)
    return 1


def _mark(delivery: Delivery, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(delivery, name, value)
    Delivery.objects.filter(pk=delivery.pk).update(**fields)


def _record_failure(sender: Adapter, delivery: Delivery, error: Exception, now: datetime) -> None:
    from kefu.tickets.work import unit_of_work

    delays = BACKOFF[delivery.channel]
    dead = delivery.attempts > len(delays)
    with unit_of_work():
        _mark(
            delivery,
            state=State.DEAD if dead else State.FAILED,
            next_attempt_at=None if dead else now + delays[delivery.attempts - 1],
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        sender.failed(delivery, now, dead)
    log.warning("delivery %s (%s) failed, attempt %d: %s", delivery.pk, delivery.channel,
                delivery.attempts, error)  # fmt: skip


def retry(delivery: Delivery) -> bool:
    """An admin asks for another attempt (e.g. after fixing the SMTP settings).

    Only failed or given-up rows are retried: what was sent must never go out twice.
    """
    retried = Delivery.objects.filter(pk=delivery.pk, state__in=(State.FAILED, State.DEAD)).update(
        state=State.PENDING, next_attempt_at=timezone.now(), lost_leases=0
    )
    return retried == 1


SWEEPER = Sweeper(name="deliveries", run=send_due, next_due=next_due, max_sleep=1.0, wake=_wake)
