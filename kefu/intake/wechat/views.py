"""The server URL an Official Account pushes to: ``/wechat/<account-code>/``.

GET is URL verification: ``signature`` over (Token, timestamp, nonce); the answer is ``echostr``.
POST is a message or event: in plaintext mode signed with ``signature``; in safe mode
(``encrypt_type=aes``) the ``Encrypt`` field is signed with ``msg_signature`` (the plain
``signature`` is not relied on) and decrypted for the account's AppID. A push whose signature
does not match is refused with 403 and leaves nothing behind. A signed push that cannot be read
is quarantined and answered ``success`` (WeChat would only retry it). The passive reply, if any,
is encrypted in safe mode.
"""

from __future__ import annotations

import logging
import time

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kefu.intake.wechat import crypto, inbound
from kefu.intake.wechat.models import WechatAccount
from kefu.intake.wechat.parse import (
    MAX_PUSH_BYTES,
    Push,
    PushError,
    encrypted_reply_xml,
    parse_push,
    text_reply_xml,
)

log = logging.getLogger("kefu.intake.wechat")


def _account(code: str) -> WechatAccount:
    account = WechatAccount.objects.filter(code=code, is_active=True).first()
    if account is None:
        raise Http404
    return account


def _plain(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


def _refused(reason: str) -> HttpResponse:
    log.warning("WeChat push refused: %s", reason)
    return _plain("signature mismatch", 403)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def callback(request: HttpRequest, code: str) -> HttpResponse:
    started = time.monotonic()  # WeChat's 5-second window runs from here
    account = _account(code)
    q = request.GET
    timestamp, nonce = q.get("timestamp", ""), q.get("nonce", "")
    if request.method == "GET":
        if not crypto.url_signature_ok(account.token, timestamp, nonce, q.get("signature", "")):
            return _refused("URL verification signature")
        return _plain(q.get("echostr", ""))
    body = request.body
    if len(body) > MAX_PUSH_BYTES:
        return _plain("too large", 413)
    if q.get("encrypt_type", "").lower() == "aes":
        return _encrypted(request, account, body, (timestamp, nonce), started)
    if account.mode == WechatAccount.Mode.SAFE:
        return _refused("safe mode takes encrypted pushes only")
    if not crypto.url_signature_ok(account.token, timestamp, nonce, q.get("signature", "")):
        return _refused("plaintext push signature")
    try:
        push = parse_push(body)
    except PushError as error:
        inbound.keep_unreadable(account, body, str(error))
        return _plain("success")
    return _reply(account, push, inbound.handle(account, push, started=started), None)


def _encrypted(
    request: HttpRequest,
    account: WechatAccount,
    body: bytes,
    signed_with: tuple[str, str],
    started: float,
) -> HttpResponse:
    timestamp, nonce = signed_with
    try:
        outer = parse_push(body)
    except PushError as error:
        return _plain(f"unreadable push: {error}", 400)  # unsigned: nothing to keep
    signature = request.GET.get("msg_signature", "")
    if not outer.encrypt or not crypto.msg_signature_ok(
        account.token, timestamp, nonce, outer.encrypt, signature
    ):
        return _refused("msg_signature")
    try:
        plain = crypto.decrypt(
            outer.encrypt, encoding_aes_key=account.encoding_aes_key, appid=account.app_id
        )
        push = parse_push(plain.encode())
    except (crypto.CryptoError, PushError) as error:
        inbound.keep_unreadable(account, body, f"{type(error).__name__}: {error}")
        return _plain("success")
    reply = inbound.handle(account, push, started=started)
    return _reply(account, push, reply, (timestamp, nonce))


def _reply(
    account: WechatAccount, push: Push, text: str, sealed_with: tuple[str, str] | None
) -> HttpResponse:
    """The passive reply (XML, encrypted like the push); ``success`` when there is nothing to
    say, or when the push came as JSON (a format passive replies do not take)."""
    if not text or push.as_json:
        return _plain("success")
    message = text_reply_xml(
        to_user=push.from_user, from_user=push.to_user, create_time=int(time.time()), content=text
    )
    if sealed_with is None:
        return HttpResponse(message, content_type="application/xml; charset=utf-8")
    timestamp, nonce = sealed_with
    timestamp = timestamp or str(int(time.time()))
    sealed = crypto.seal_reply(message, token=account.token, appid=account.app_id,
                               encoding_aes_key=account.encoding_aes_key,
                               timestamp=timestamp, nonce=nonce)  # fmt: skip
    reply = encrypted_reply_xml(encrypt=sealed.encrypt, msg_signature=sealed.msg_signature,
                                timestamp=sealed.timestamp, nonce=sealed.nonce)  # fmt: skip
    return HttpResponse(reply, content_type="application/xml; charset=utf-8")
