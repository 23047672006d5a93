"""WeChat's server API, as much as Kefu uses: the access_token and customer-service messages.

The access_token (``GET /cgi-bin/token``) is cached on the account row, encrypted, until shortly
before its ``expires_in`` runs out; a call answered with 40001/40014/42001 (token invalid or
expired: another process may have fetched a new one) fetches a fresh token and is tried once
more. The base URL is the ``KEFU_WECHAT_API_BASE`` setting, so tests point it at a fake server on
127.0.0.1. Calls are made by the delivery worker (``sender.py``), never inside a request.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from django.conf import settings
from django.utils import timezone

from kefu.intake.wechat.models import WechatAccount

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
# Refresh this long before WeChat says the token expires, so no call carries a dying token.
EARLY = timedelta(minutes=5)
TOKEN_ERRORS = frozenset({40001, 40014, 42001})
# WeChat takes at most 2048 characters of text in a customer-service message.
MAX_TEXT = 2000


class WechatApiError(Exception):
    """WeChat refused or could not be reached; ``errcode`` is WeChat's, 0 for transport errors."""

    def __init__(self, message: str, errcode: int = 0) -> None:
        super().__init__(message)
        self.errcode = errcode


def _base() -> str:
    return str(settings.KEFU_WECHAT_API_BASE).rstrip("/")


class WechatClient:
    def __init__(self, http: httpx.Client | None = None) -> None:
        self.http = http or httpx.Client(timeout=TIMEOUT, follow_redirects=False)

    def close(self) -> None:
        self.http.close()

    def _json(self, response: httpx.Response) -> dict[str, Any]:
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

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self.http.request(method, _base() + path, **kwargs)
        except httpx.HTTPError as error:
            raise WechatApiError(f"{type(error).__name__}: {error}") from error
        return self._json(response)

    def access_token(self, account: WechatAccount, *, fresh: bool = False) -> str:
        """The cached token, or a new one when it is missing, expiring or ``fresh`` is asked."""
        now = timezone.now()
        expires = account.access_token_expires_at
        if not fresh and account.access_token and expires and expires - EARLY > now:
            return account.access_token
        if not account.app_secret:
            raise WechatApiError("the account has no AppSecret: it cannot send messages")
        params = {"grant_type": "client_credential", "appid": account.app_id,
                  "secret": account.app_secret}  # fmt: skip
        data = self._call("GET", "/cgi-bin/token", params=params)
        token = str(data.get("access_token") or "")
        if not token:
            raise WechatApiError("WeChat gave no access_token")
        account.access_token = token
        account.access_token_expires_at = now + timedelta(seconds=int(data.get("expires_in", 7200)))
        WechatAccount.objects.filter(pk=account.pk).update(
            access_token=token, access_token_expires_at=account.access_token_expires_at
        )
        return token

    def send_text(self, account: WechatAccount, openid: str, text: str) -> None:
        """A customer-service text message (客服消息) to ``openid``."""
        if len(text) > MAX_TEXT:
            text = text[: MAX_TEXT - 1] + "…"
        body = {"touser": openid, "msgtype": "text", "text": {"content": text}}
        for fresh in (False, True):
            token = self.access_token(account, fresh=fresh)
            try:
                self._call("POST", "/cgi-bin/message/custom/send",
                           params={"access_token": token}, json=body)  # fmt: skip
                return
            except WechatApiError as error:
                if error.errcode not in TOKEN_ERRORS or fresh:
                    raise
