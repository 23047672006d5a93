"""An agent's public reply on a WeChat ticket goes back to the follower who wrote it, as a
customer-service message, or, on WeCom customer service, through ``kf/send_msg`` (listed in
``kefu.flow``; an outbox row, sent by the worker after commit).

The follower is the one whose pushes the ticket received (its inbound records name the account
and the OpenID); a ticket no WeChat message reached is left to the other channels.
"""

from __future__ import annotations

from kefu.delivery.models import Delivery
from kefu.intake.models import InboundRecord
from kefu.intake.wechat import wecom
from kefu.intake.wechat.models import WechatFollower, WecomCustomer
from kefu.intake.wechat.sender import queue_text
from kefu.tickets.models import Channel, Message, Ticket, TicketEvent

Role = Message.AuthorRole


def follower_of(ticket: Ticket) -> WechatFollower | WecomCustomer | None:
    """Who last wrote on ``ticket``: an Official Account's follower (external ids
    ``wechat:<code>:<openid>:…``) or a WeCom customer-service customer
    (``wecom:<code>:<external_userid>:…``) — and only while it still speaks as one of the ticket's
    writers: a follower unlinked from the account (or linked to another) gets no more replies on
    the account's tickets."""
    external_ids = (
        InboundRecord.objects.filter(channel=Channel.WECHAT, ticket=ticket)
        .order_by("-received_at", "-pk")
        .values_list("external_id", flat=True)
    )
    for external_id in external_ids[:20]:
        prefix, code, openid, *_rest = [*external_id.split(":", 3), "", ""]
        if prefix == wecom.PREFIX:
            customer = wecom.customer_of(code, openid)
            if customer is not None and _wrote_on(ticket, customer.user_id):
                return customer
            continue
        follower = (
            WechatFollower.objects.select_related("account")
            .filter(account__code=code, openid=openid)
            .first()
        )
        if follower is not None and _wrote_on(ticket, follower.user_id):
            return follower
    return None


def _wrote_on(ticket: Ticket, user_id: int) -> bool:
    return Message.objects.filter(ticket=ticket, author_id=user_id).exists()


def reply_through_wechat(ticket: Ticket, events: list[TicketEvent]) -> None:
    """Inside the reply's unit of work: one outbox row per public staff reply."""
    if ticket.channel != Channel.WECHAT:
        return
    ids = [e.new for e in events if e.data.get("role") == Role.AGENT and isinstance(e.new, int)]
    if not ids:
        return
    follower = follower_of(ticket)
    if follower is None:
        return
    replies = Message.objects.filter(pk__in=ids, is_internal=False).order_by("pk")
    for message in replies:
        if isinstance(follower, WecomCustomer):
            wecom.queue_text(follower, text=message.body, kind=Delivery.Kind.REPLY, ticket=ticket,
                             message=message)  # fmt: skip
            continue
        queue_text(follower, text=message.body, kind=Delivery.Kind.REPLY, ticket=ticket,
                   message=message)  # fmt: skip
