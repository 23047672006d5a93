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

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kefu.delivery.models import Delivery
from kefu.delivery.outbox import DeliveryFailed
from kefu.intake.wechat import bot as wechat_bot
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


def queue_bot_answer(
    follower: WechatFollower, *, ticket: Ticket, question: Message, said: str
) -> Delivery:
    """The bot's answer to ``question``, worked out by the worker when it sends the row (the
    passive reply said 正在处理): an outbox row with no text yet."""
    row = queue_text(follower, text="", kind=Delivery.Kind.REPLY, ticket=ticket)
    row.payload = {**(row.payload or {}), "answer": question.pk, "said": said[:2000]}
    row.save(update_fields=["payload"])
    return row


def _answer_later(delivery: Delivery, payload: dict[str, object]) -> None:
    """Work out the deferred bot answer (recorded on the ticket once: the text is kept on the row
    before it is sent, so a retry sends the same text), or a word that an agent will answer; an
    agent who answered meanwhile has said it all (``delivery.text`` stays empty)."""
    question_id = payload.get("answer")
    question = (
        Message.objects.select_related("ticket").filter(pk=question_id).first()
        if isinstance(question_id, int)
        else None
    )
    if question is None:
        raise DeliveryFailed("the message the bot was to answer no longer exists")
    if not wechat_bot.in_charge(question.ticket):
        return
    with translation.override("zh-hans"):
        text = wechat_bot.answer(question.ticket, question, str(payload.get("said", "")))
        text = text or _("The help centre has no ready answer: an agent will answer you here.")
    Delivery.objects.filter(pk=delivery.pk).update(text=text)
    delivery.text = text


class WechatSender:
    def __init__(self) -> None:
        self.client = WechatClient()
        self.wecom = WecomClient()

    def send(self, delivery: Delivery) -> None:
        payload = delivery.payload or {}
        if payload.get("wecom"):
            return self._send_wecom(delivery, payload)
        if not delivery.text and payload.get("answer"):
            _answer_later(delivery, payload)
            if not delivery.text:
                return  # an agent answered meanwhile: nothing left to say
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
