"""WeCom customer service (企业微信 · 微信客服): its callbacks, the ``sync_msg`` pull and the
``send_msg`` replies.

WeCom does not push the customer's message: its callback (``kf_msg_or_event``, encrypted like an
Official Account's safe-mode push, with the corp's EncodingAESKey and the CorpID as receiver)
carries only a ``Token`` saying there is something to pull. The view records it and marks the
account due (``sync_due_at``); the sweeper here claims the account with a conditional UPDATE and
pulls ``POST /cgi-bin/kf/sync_msg`` page by page from the account's ``cursor``, saved after each
page. Each customer message (origin 3) goes through the intake pipeline with the external id
``wecom:<code>:<external_userid>:<msgid>``, so a message pulled twice lands once. A WeChat user
writing here is a contact, like an unbound Official Account follower. Replies are outbox rows
(``queue_text``) that the WeChat sender hands to ``send_text`` here. The access_token
(``gettoken?corpid&corpsecret``) is cached on the account, encrypted, and fetched again when WeCom
answers 40014/42001. The base URL is ``KEFU_WECOM_API_BASE`` (a fake server in tests).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kefu.accounts.actions import create_contact
from kefu.accounts.models import User
from kefu.delivery.models import Delivery
from kefu.intake.base import InboundMessage, TicketFields
from kefu.intake.ingest import ingest
from kefu.intake.models import Outcome
from kefu.intake.wechat.client import EARLY, MAX_TEXT, TIMEOUT, WechatApiError
from kefu.intake.wechat.models import WecomCustomer, WecomKfAccount
from kefu.jobs.sweepers import Sweeper
from kefu.tickets.models import Channel, Message, Ticket

log = logging.getLogger("kefu.intake.wechat")

TOKEN_ERRORS = frozenset({40014, 42001})
FROM_CUSTOMER = 3  # sync_msg's ``origin``: 3 the WeChat user, 4 system events, 5 the servicer
PAGE = 1000
MAX_PAGES = 50  # per sweep: a long backlog continues at the next sweep
MAX_BACKOFF = timedelta(minutes=30)
CONTACT_DOMAIN = "wecom.invalid"
PREFIX = "wecom"


def _base() -> str:
    return str(settings.KEFU_WECOM_API_BASE).rstrip("/")


class WecomClient:
    def __init__(self, http: httpx.Client | None = None) -> None:
        self.http = http or httpx.Client(timeout=TIMEOUT, follow_redirects=False)

    def close(self) -> None:
        self.http.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self.http.request(method, _base() + path, **kwargs)
        except httpx.HTTPError as error:
            raise WechatApiError(f"{type(error).__name__}: {error}") from error
        if response.status_code != 200:
            raise WechatApiError(f"HTTP {response.status_code}: {response.text[:200]}")
        try:
            data = response.json()
        except ValueError as error:
            raise WechatApiError(f"not JSON: {response.text[:200]}") from error
        if not isinstance(data, dict):
            raise WechatApiError("the answer is not a JSON object")
        errcode = int(data.get("errcode") or 0)
        if errcode:
            raise WechatApiError(f"errcode {errcode}: {data.get('errmsg', '')}"[:300], errcode)
        return data

    def access_token(self, account: WecomKfAccount, *, fresh: bool = False) -> str:
        now = timezone.now()
        expires = account.access_token_expires_at
        if not fresh and account.access_token and expires and expires - EARLY > now:
            return account.access_token
        params = {"corpid": account.corp_id, "corpsecret": account.secret}
        data = self._call("GET", "/cgi-bin/gettoken", params=params)
        token = str(data.get("access_token") or "")
        if not token:
            raise WechatApiError("WeCom gave no access_token")
        account.access_token = token
        account.access_token_expires_at = now + timedelta(seconds=int(data.get("expires_in", 7200)))
        WecomKfAccount.objects.filter(pk=account.pk).update(
            access_token=token, access_token_expires_at=account.access_token_expires_at
        )
        return token

    def post(self, account: WecomKfAccount, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """A POST with the access_token, once more with a fresh one if WeCom says it is dead."""
        for fresh in (False, True):
            token = self.access_token(account, fresh=fresh)
            try:
                return self._call("POST", path, params={"access_token": token}, json=body)
            except WechatApiError as error:
                if error.errcode not in TOKEN_ERRORS or fresh:
                    raise
        raise AssertionError("unreachable")

    def send_text(self, account: WecomKfAccount, open_kfid: str, touser: str, text: str) -> None:
        if len(text) > MAX_TEXT:
            text = text[: MAX_TEXT - 1] + "…"
        body = {"touser": touser, "open_kfid": open_kfid, "msgtype": "text",
                "text": {"content": text}}  # fmt: skip
        self.post(account, "/cgi-bin/kf/send_msg", body)


# The callback -------------------------------------------------------------------------------


def mark_due(account: WecomKfAccount, sync_token: str) -> None:
    """A verified ``kf_msg_or_event``: pull soon, with the callback's token."""
    WecomKfAccount.objects.filter(pk=account.pk).update(
        sync_token=sync_token[:255], sync_due_at=timezone.now()
    )
    if SWEEPER.wake is not None:
        SWEEPER.wake.set()


# Pulling ------------------------------------------------------------------------------------


def contact_for(account: WecomKfAccount, external_userid: str) -> User:
    digest = hashlib.sha256(f"{account.corp_id}:{external_userid}".encode()).hexdigest()[:24]
    address = f"wk-{digest}@{CONTACT_DOMAIN}"
    user = User.objects.filter(email__iexact=address).first()
    if user is not None:
        return user
    try:
        with transaction.atomic():
            return create_contact(email=address, name=f"WeChat {external_userid[-6:]}")
    except IntegrityError:
        return User.objects.get(email__iexact=address)


def customer_for(account: WecomKfAccount, external_userid: str, open_kfid: str) -> WecomCustomer:
    customer = (
        WecomCustomer.objects.select_related("user", "ticket")
        .filter(account=account, external_userid=external_userid)
        .first()
    )
    if customer is not None:
        if customer.open_kfid != open_kfid and open_kfid:
            WecomCustomer.objects.filter(pk=customer.pk).update(open_kfid=open_kfid)
            customer.open_kfid = open_kfid
        return customer
    try:
        with transaction.atomic():
            return WecomCustomer.objects.create(
                account=account, external_userid=external_userid, open_kfid=open_kfid,
                user=contact_for(account, external_userid),
            )  # fmt: skip
    except IntegrityError:
        return WecomCustomer.objects.get(account=account, external_userid=external_userid)


def _text_of(msg: dict[str, Any]) -> str:
    kind = str(msg.get("msgtype", ""))
    found = msg.get(kind)
    part: dict[str, Any] = found if isinstance(found, dict) else {}
    if kind == "text":
        return str(part.get("content", ""))
    if kind == "image":
        return f"🖼 [image media_id {part.get('media_id', '')}]"
    if kind == "voice":
        said = _("(voice message, not transcribed)")
        return f"🎤 {said}\n[voice media_id {part.get('media_id', '')}]"
    return f"[{kind}] {part.get('media_id') or part.get('title') or ''}".strip()


def _take(account: WecomKfAccount, msg: dict[str, Any]) -> bool:
    """One pulled message into the intake pipeline; True when it landed (not a duplicate)."""
    external_userid = str(msg.get("external_userid", ""))[:64]
    msgid = str(msg.get("msgid", ""))
    if msg.get("origin") != FROM_CUSTOMER or not external_userid or not msgid:
        return False  # servicers' own messages, system events
    customer = customer_for(account, external_userid, str(msg.get("open_kfid", ""))[:64])
    ticket = customer.ticket
    message = InboundMessage(
        channel=Channel.WECHAT,
        external_id=f"{PREFIX}:{account.code}:{external_userid}:{msgid}"[:255],
        text=_text_of(msg),
        sender_address=customer.user.email,
        sender_name=customer.user.name,
        sender_proof="wecom:external_userid",
        own_ticket=ticket.number if ticket is not None else "",
        fields=TicketFields(),
        raw=repr(msg).encode(),
    )
    result = ingest(message)
    landed = result.outcome in (Outcome.TICKET, Outcome.MESSAGE) and result.ticket is not None
    if landed:
        WecomCustomer.objects.filter(pk=customer.pk).update(
            ticket=result.ticket, last_seen_at=timezone.now()
        )
    return landed


def pull(account: WecomKfAccount, client: WecomClient) -> int:
    """Pull every page from the saved cursor; the messages that landed."""
    landed = 0
    for _page in range(MAX_PAGES):
        body: dict[str, Any] = {"cursor": account.cursor, "limit": PAGE}
        if account.sync_token:
            body["token"] = account.sync_token
        if account.open_kfid:
            body["open_kfid"] = account.open_kfid
        data = client.post(account, "/cgi-bin/kf/sync_msg", body)
        with translation.override("zh-hans"):
            for msg in data.get("msg_list") or []:
                if isinstance(msg, dict):
                    landed += _take(account, msg)
        account.cursor = str(data.get("next_cursor") or account.cursor)[:255]
        WecomKfAccount.objects.filter(pk=account.pk).update(cursor=account.cursor)
        if not data.get("has_more"):
            break
    return landed


def sweep(now: datetime) -> int:
    """Pull each due account once (claimed with a conditional UPDATE)."""
    due = list(
        WecomKfAccount.objects.filter(is_active=True, sync_due_at__lte=now).values_list(
            "pk", "sync_due_at"
        )
    )
    client = WecomClient()
    pulled = 0
    try:
        for pk, due_at in due:
            if not WecomKfAccount.objects.filter(pk=pk, sync_due_at=due_at).update(
                sync_due_at=None
            ):
                continue  # another worker has it
            account = WecomKfAccount.objects.get(pk=pk)
            try:
                pulled += pull(account, client)
            except WechatApiError as error:
                _failed(account, error)
                continue
            WecomKfAccount.objects.filter(pk=pk).update(sync_failures=0, last_error="")
    finally:
        client.close()
    return pulled


def _failed(account: WecomKfAccount, error: Exception) -> None:
    failures = account.sync_failures + 1
    pause = min(timedelta(seconds=30) * 2 ** min(failures, 10), MAX_BACKOFF)
    WecomKfAccount.objects.filter(pk=account.pk, sync_due_at__isnull=True).update(
        sync_due_at=timezone.now() + pause
    )
    WecomKfAccount.objects.filter(pk=account.pk).update(
        sync_failures=failures, last_error=str(error)[:2000]
    )
    log.warning("sync_msg for %s failed (%d in a row): %s", account, failures, error)


def next_due() -> datetime | None:
    due: datetime | None = WecomKfAccount.objects.filter(is_active=True).aggregate(
        due=Min("sync_due_at")
    )["due"]
    return due


SWEEPER = Sweeper(name="wecom-sync", run=sweep, next_due=next_due, max_sleep=5.0)


# Replies ------------------------------------------------------------------------------------


def customer_of(account_code: str, external_userid: str) -> WecomCustomer | None:
    return (
        WecomCustomer.objects.select_related("account")
        .filter(account__code=account_code, external_userid=external_userid)
        .first()
    )


def queue_text(
    customer: WecomCustomer, *, text: str, kind: str, ticket: Ticket | None = None,
    message: Message | None = None,
) -> Delivery:  # fmt: skip
    return Delivery.objects.create(
        channel=Delivery.Channel.WECHAT,
        kind=kind,
        key=f"wecom-{uuid.uuid4().hex}",
        ticket=ticket,
        ticket_message=message,
        to=[customer.external_userid],
        text=text,
        payload={
            "wecom": customer.account.code,
            "open_kfid": customer.open_kfid,
            "external_userid": customer.external_userid,
        },
        next_attempt_at=timezone.now(),
    )
