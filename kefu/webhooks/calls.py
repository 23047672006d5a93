"""The outbox adapter for webhooks: one signed JSON POST per delivery.

Headers: ``X-Kefu-Event`` (e.g. ``ticket.created``), ``X-Kefu-Delivery`` (unique; the same on
every retry, for the receiver's idempotency) and ``X-Kefu-Signature: sha256=<hex>``, the
HMAC-SHA256 of the raw body with the subscription's secret. A 2xx answer within the timeout is
success; anything else is retried with backoff (``delivery.outbox``). Redirects are not followed.
"""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx

from kefu.delivery.models import Delivery
from kefu.delivery.outbox import DeliveryFailed
from kefu.webhooks.ssrf import check_url

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
USER_AGENT = "Kefu-Webhooks/1"


def body_of(delivery: Delivery) -> bytes:
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookSender:
    def __init__(self) -> None:
        self.client = httpx.Client(timeout=TIMEOUT, follow_redirects=False)

    def send(self, delivery: Delivery) -> None:
        subscription = delivery.subscription
        if subscription is None or not subscription.is_active:
            raise DeliveryFailed("the webhook was deleted or disabled")
        body = body_of(delivery)
        url = httpx.URL(subscription.url)
        address = check_url(subscription.url)[0]  # checked again now: DNS may have changed
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "Host": url.netloc.decode(),
            "X-Kefu-Event": delivery.event,
            "X-Kefu-Delivery": delivery.key,
            "X-Kefu-Signature": signature(subscription.secret, body),
        }
        extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
        try:
            response = self.client.post(
                url.copy_with(host=address), content=body, headers=headers, extensions=extensions
            )
        except httpx.HTTPError as error:
            raise DeliveryFailed(f"{type(error).__name__}: {error}") from error
        if not 200 <= response.status_code < 300:
            raise DeliveryFailed(f"HTTP {response.status_code}: {response.text[:200]}")

    def close(self) -> None:
        self.client.close()
