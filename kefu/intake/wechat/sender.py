"""The outbox adapter for WeChat (``delivery.outbox``): one customer-service message per row
(an Official Account's ``message/custom/send``, or WeCom customer service's ``kf/send_msg`` when
the payload names a ``wecom`` account).

The row is written in the reply's unit of work (``followers.py``) with the account's code and the
follower's OpenID in its payload; the worker sends it after commit and retries it with backoff
when WeChat refuses (e.g. 45015: the follower has not written within 48 hours) or is unreachable.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.utils import timezone

from kefu.delivery.models import Delivery
from kefu.delivery.outbox import DeliveryFailed
from kefu.intake.wechat.client import WechatApiError, WechatClient
from kefu.intake.wechat.models import WechatAccount, WechatFollower, WecomKfAccount
from kefu.intake.wechat.wecom import WecomClient
from kefu.tickets.models import Message, Ticket


def queue_text(
    follower: WechatFollower, *, text: str, kind: str, ticket: Ticket | None = None,
    message: Message | None = None,
) -> Delivery:  # fmt: skip
    """Write the message into the outbox; the worker sends it after the caller commits."""
    return Delivery.objects.create(
        channel=Delivery.Channel.WECHAT,
        kind=kind,
        key=f"wechat-{uuid.uuid4().hex}",
        ticket=ticket,
        ticket_message=message,
        to=[follower.openid],
        text=text,
        payload={"account": follower.account.code, "openid": follower.openid},
        next_attempt_at=timezone.now(),
    )


class WechatSender:
    def __init__(self) -> None:
        self.client = WechatClient()
        self.wecom = WecomClient()

    def send(self, delivery: Delivery) -> None:
        payload = delivery.payload or {}
        if payload.get("wecom"):
            return self._send_wecom(delivery, payload)
        account = WechatAccount.objects.filter(code=payload.get("account", "")).first()
        if account is None or not account.is_active:
            raise DeliveryFailed("the WeChat account was deleted or disabled")
        try:
            self.client.send_text(account, str(payload.get("openid", "")), delivery.text)
        except WechatApiError as error:
            raise DeliveryFailed(str(error)) from error

    def _send_wecom(self, delivery: Delivery, payload: dict[str, object]) -> None:
        kf = WecomKfAccount.objects.filter(code=str(payload.get("wecom", ""))).first()
        if kf is None or not kf.is_active:
            raise DeliveryFailed("the WeCom customer-service account was deleted or disabled")
        try:
            to = str(payload.get("external_userid", ""))
            self.wecom.send_text(kf, str(payload.get("open_kfid", "")), to, delivery.text)
        except WechatApiError as error:
            raise DeliveryFailed(str(error)) from error

    def sent(self, delivery: Delivery) -> None:
        pass

    def failed(self, delivery: Delivery, now: datetime, dead: bool) -> None:
        pass

    def close(self) -> None:
        self.client.close()
        self.wecom.close()
