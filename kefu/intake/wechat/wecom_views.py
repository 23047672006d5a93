"""The callback URL of a WeCom customer-service account: ``/wecom/<account-code>/``.

GET is URL verification: ``msg_signature`` over (Token, timestamp, nonce, echostr); the answer is
``echostr`` decrypted with the corp's EncodingAESKey (the receiver inside must be the CorpID).
POST is an encrypted event: ``msg_signature`` over the ``Encrypt`` field, decrypted, and a
``kf_msg_or_event`` marks the account due for a ``sync_msg`` pull with its ``Token`` (the pull is
the sweeper's, after this answer, so WeCom's 5-second window is never at risk). A wrong signature
is refused with 403 and leaves nothing behind; a signed callback that cannot be read is noted on
the account (``last_error``) and a pull is made anyway: the messages are at WeCom, behind the
cursor, so none is lost.
"""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kefu.intake.wechat import crypto, wecom
from kefu.intake.wechat.models import WecomKfAccount
from kefu.intake.wechat.parse import MAX_PUSH_BYTES, PushError, parse_push

log = logging.getLogger("kefu.intake.wechat")
KF_EVENT = "kf_msg_or_event"


def _plain(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


def _refused(reason: str) -> HttpResponse:
    log.warning("WeCom callback refused: %s", reason)
    return _plain("signature mismatch", 403)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def callback(request: HttpRequest, code: str) -> HttpResponse:
    account = WecomKfAccount.objects.filter(code=code, is_active=True).first()
    if account is None:
        raise Http404
    q = request.GET
    timestamp, nonce, signature = (
        q.get("timestamp", ""),
        q.get("nonce", ""),
        q.get("msg_signature", ""),
    )
    if request.method == "GET":
        echostr = q.get("echostr", "")
        if not echostr or not crypto.msg_signature_ok(
            account.token, timestamp, nonce, echostr, signature
        ):
            return _refused("URL verification msg_signature")
        try:
            plain = crypto.decrypt(
                echostr, encoding_aes_key=account.encoding_aes_key, appid=account.corp_id
            )
        except crypto.CryptoError as error:
            return _plain(f"echostr does not decrypt: {error}", 400)
        return _plain(plain)
    body = request.body
    if len(body) > MAX_PUSH_BYTES:
        return _plain("too large", 413)
    try:
        outer = parse_push(body)
    except PushError as error:
        return _plain(f"unreadable callback: {error}", 400)  # unsigned: nothing to keep
    if not outer.encrypt or not crypto.msg_signature_ok(
        account.token, timestamp, nonce, outer.encrypt, signature
    ):
        return _refused("msg_signature")
    try:
        plain = crypto.decrypt(
            outer.encrypt, encoding_aes_key=account.encoding_aes_key, appid=account.corp_id
        )
        event = parse_push(plain.encode())
    except (crypto.CryptoError, PushError) as error:
        # Nothing is lost: the messages wait at WeCom, and a pull from the cursor fetches them.
        reason = f"a signed callback did not decrypt: {type(error).__name__}: {error}"
        log.warning("WeCom %s: %s", account.code, reason)
        WecomKfAccount.objects.filter(pk=account.pk).update(last_error=reason[:2000])
        wecom.mark_due(account, "")
        return _plain("success")
    if event.msg_type == "event" and event.event == KF_EVENT:
        wecom.mark_due(account, event.sync_token)
    return _plain("success")
