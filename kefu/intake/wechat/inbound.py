"""What a verified WeChat push does: a message goes through the intake pipeline, an event updates
the follower, a binding command binds. Returns the passive reply's text ("" for none).

Every message becomes an ``InboundMessage`` handed to ``intake.ingest.ingest`` (idempotent on
the push's MsgId, so WeChat's retries land once; what fails is quarantined there). The sender is
the follower's user: the customer account it was bound to, or a contact made for the OpenID. The
OpenID is proven by the push's signature (``sender_proof``), so a bound follower's messages land
on the account's tickets, verified, and an unbound one's on a contact ticket of its own. A
follower's messages continue its conversation's ticket (``own_ticket``) while it is not closed.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kefu.accounts.actions import create_contact
from kefu.accounts.models import User
from kefu.delivery.models import Delivery
from kefu.intake.base import InboundMessage, TicketFields
from kefu.intake.ingest import IngestResult, ingest, quarantine
from kefu.intake.models import Outcome
from kefu.intake.wechat import binding, crypto, sender
from kefu.intake.wechat import bot as wechat_bot
from kefu.intake.wechat.models import WechatAccount, WechatFollower
from kefu.intake.wechat.parse import Push, PushError, fit_reply, parse_push
from kefu.tickets.models import Channel, Message, Ticket

log = logging.getLogger("kefu.intake.wechat")

# Contacts made for OpenIDs get an address under the reserved ``.invalid`` domain (RFC 2606):
# Kefu's users need one, and no mail is ever sent there (``delivery.email.mailable``).
CONTACT_DOMAIN = "wechat.invalid"
MESSAGE_TYPES = ("text", "image", "voice", "video", "shortvideo", "location", "link", "file")


def contact_address(account: WechatAccount, openid: str) -> str:
    """One per (AppID, OpenID): OpenIDs are case-sensitive, addresses are not, so a digest."""
    digest = hashlib.sha256(f"{account.app_id}:{openid}".encode()).hexdigest()[:24]
    return f"wx-{digest}@{CONTACT_DOMAIN}"


def contact_for(account: WechatAccount, openid: str) -> User:
    address = contact_address(account, openid)
    user = User.objects.filter(email__iexact=address).first()
    if user is not None:
        return user
    try:
        with transaction.atomic():
            return create_contact(email=address, name=f"WeChat {openid[-6:]}")
    except IntegrityError:  # a concurrent push made it
        return User.objects.get(email__iexact=address)


def follower_for(account: WechatAccount, openid: str) -> WechatFollower:
    follower = (
        WechatFollower.objects.select_related("user", "ticket", "account")
        .filter(account=account, openid=openid)
        .first()
    )
    if follower is None:
        try:
            with transaction.atomic():
                follower = WechatFollower.objects.create(
                    account=account, openid=openid, user=contact_for(account, openid)
                )
        except IntegrityError:
            follower = WechatFollower.objects.get(account=account, openid=openid)
    return follower


def _text_of(push: Push) -> str:
    """The ticket text of a message: what the customer wrote or said, or what they sent."""
    if push.msg_type == "text":
        return push.content
    if push.msg_type == "voice":
        said = push.recognition or _("(voice message, not transcribed)")
        return f"🎤 {said}\n[voice MediaId {push.media_id}]"
    if push.msg_type == "image":
        return f"🖼 {push.pic_url}\n[image MediaId {push.media_id}]"
    return f"[{push.msg_type}] {push.media_id or push.content}".strip()


def _inbound(account: WechatAccount, follower: WechatFollower, push: Push) -> InboundMessage:
    ticket = follower.ticket
    bound = follower.is_bound
    return InboundMessage(
        channel=Channel.WECHAT,
        external_id=f"wechat:{account.code}:{push.from_user}:{push.dedupe_key}"[:255],
        text=_text_of(push),
        sender_address=follower.user.email,
        sender_name=follower.user.name,
        sender_proof="wechat:bound" if bound else "wechat:openid",
        own_ticket=ticket.number if ticket is not None else "",
        fields=TicketFields(),  # the language is detected from the text
        raw=push.raw_text.encode(),
    )


def handle(account: WechatAccount, push: Push, *, started: float | None = None) -> str:
    """Act on one verified push; the passive reply's text, in Chinese (WeChat's users).
    ``started``: when the push arrived (``time.monotonic()``), for WeChat's 5-second window."""
    started = time.monotonic() if started is None else started
    with translation.override("zh-hans"):
        if not push.from_user:
            return ""
        if push.msg_type == "event":
            return _event(account, push)
        if push.msg_type not in MESSAGE_TYPES:
            return ""
        follower = follower_for(account, push.from_user)
        WechatFollower.objects.filter(pk=follower.pk).update(
            last_seen_at=timezone.now(), subscribed=True
        )
        code = binding.code_in(push.content) if push.msg_type == "text" else ""
        if code:
            return _bind(follower, code)
        return _message(account, follower, push, started)


def _bind(follower: WechatFollower, code: str) -> str:
    user = binding.redeem(follower=follower, code=code)
    if user is None:
        return _("This binding code is not valid or has expired. Get a new one in the portal.")
    organization = user.account.organization.name  # type: ignore[union-attr]
    return _("Bound to %(organization)s. Your messages here now reach support as your account.") % {
        "organization": organization
    }


def _message(account: WechatAccount, follower: WechatFollower, push: Push, started: float) -> str:
    result = ingest(_inbound(account, follower, push))
    landed = result.outcome in (Outcome.TICKET, Outcome.MESSAGE)
    if not landed or result.ticket is None:
        return ""  # duplicates (WeChat's retries) are not answered again
    if follower.ticket_id != result.ticket.pk:
        WechatFollower.objects.filter(pk=follower.pk).update(ticket=result.ticket)
    said = push.content if push.msg_type == "text" else push.recognition
    parts = [_receipt(result.ticket, follower)] if result.outcome == Outcome.TICKET else []
    if said and result.message is not None:
        parts.append(_bot_part(follower, result.ticket, result.message, said, started))
    return fit_reply("\n\n".join(part for part in parts if part))


def _on_it() -> str:
    return _("We're on it, please wait a moment: the answer follows here.")


def _bot_part(
    follower: WechatFollower, ticket: Ticket, message: Message, said: str, started: float
) -> str:
    """The bot's part of the passive reply. With too little of WeChat's 5 seconds left to start
    the bot, or when its answer came too late for the passive reply (WeChat would drop it and its
    retry is a duplicate), the follower is told it is being handled (正在处理) and the answer goes
    out later as a customer-service message: worked out by the delivery worker, or sent by it."""
    if not wechat_bot.in_charge(ticket):
        return ""
    if time.monotonic() - started > settings.KEFU_WECHAT_BOT_START_SECONDS:
        sender.queue_bot_answer(follower, ticket=ticket, question=message, said=said)
        return _on_it()
    answer = wechat_bot.answer(ticket, message, said)
    if answer and time.monotonic() - started > settings.KEFU_WECHAT_PASSIVE_SECONDS:
        sender.queue_text(follower, text=answer, kind=Delivery.Kind.REPLY, ticket=ticket)
        return _on_it()
    return answer


def _receipt(ticket: Ticket, follower: WechatFollower) -> str:
    reply = _("Received. Your ticket number is %(number)s; support will answer here.") % {
        "number": ticket.number
    }
    if not follower.is_bound:
        reply += "\n" + _(
            "Customers with an account: send “绑定” and the code from the portal's WeChat page "
            "to link this WeChat to your account."
        )
    return reply


def _event(account: WechatAccount, push: Push) -> str:
    event = push.event.lower()
    if event == "unsubscribe":
        WechatFollower.objects.filter(account=account, openid=push.from_user).update(
            subscribed=False
        )
        return ""
    if event == "subscribe":
        follower = follower_for(account, push.from_user)
        WechatFollower.objects.filter(pk=follower.pk).update(
            subscribed=True, last_seen_at=timezone.now()
        )
        return _("Welcome to %(name)s support. Write your question here and we will answer.") % {
            "name": account.name
        }
    return ""  # menu clicks, scans, locations: nothing for support to do


UNREADABLE = "unreadable"


def keep_unreadable(account: WechatAccount, raw: bytes, reason: str) -> None:
    """A signed push that could not be read or decrypted: kept in the quarantine, not lost. Its
    signature was checked on arrival; ``retry_unreadable`` reads it again (after an admin fixed
    the account's EncodingAESKey or AppID, say)."""
    digest = hashlib.sha256(raw).hexdigest()[:32]
    held = InboundMessage(
        channel=Channel.WECHAT,
        external_id=f"wechat:{account.code}:{UNREADABLE}:{digest}",
        text="",
        full_text=raw.decode("utf-8", "replace"),
    )
    quarantine(held, "parse", reason)


def is_unreadable(external_id: str) -> bool:
    return external_id.startswith("wechat:") and external_id.split(":")[2:3] == [UNREADABLE]


def retry_unreadable(held: InboundMessage) -> IngestResult:
    """Read a quarantined push again with the account as it is now, and act on it."""
    code = held.external_id.split(":")[1]
    account = WechatAccount.objects.filter(code=code).first()
    if account is None:
        return quarantine(held, "parse", f"the WeChat account {code!r} no longer exists")
    try:
        push = parse_push(held.full_text.encode())
        if push.encrypt:
            plain = crypto.decrypt(
                push.encrypt, encoding_aes_key=account.encoding_aes_key, appid=account.app_id
            )
            push = parse_push(plain.encode())
    except (crypto.CryptoError, PushError) as error:
        return quarantine(held, "parse", f"{type(error).__name__}: {error}")
    command = push.msg_type == "text" and binding.code_in(push.content)
    if push.msg_type not in MESSAGE_TYPES or not push.from_user or command:
        handle(account, push)
        return IngestResult(Outcome.IGNORED, reason=f"WeChat {push.msg_type or 'push'}")
    follower = follower_for(account, push.from_user)
    result = ingest(_inbound(account, follower, push))
    if result.ticket is not None and result.outcome in (Outcome.TICKET, Outcome.MESSAGE):
        WechatFollower.objects.filter(pk=follower.pk).update(ticket=result.ticket)
    return result
