"""What tests need to play WeChat: pushes signed and encrypted as WeChat does (with the demo's
keys from the shared vectors), and a fake WeChat API server, a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.test import Client

from kefu.intake.wechat import crypto
from kefu.intake.wechat.models import WechatAccount
from kefu.intake.wechat.parse import parse_push

TOKEN = "AAAAA"
AES_KEY = "A" * 43
APP_ID = "wxba5fad812f8e6fb9"
APP_SECRET = "demo-app-secret"
OA = "gh_97417a04a28d"
OPENID = "o9AgO5Kd5ggOC-bXrbNODIiE3bGY"


def make_account(code: str = "demo", mode: str = WechatAccount.Mode.SAFE) -> WechatAccount:
    return WechatAccount.objects.create(code=code, name="Kefu 客服", app_id=APP_ID, token=TOKEN,
                                        encoding_aes_key=AES_KEY, app_secret=APP_SECRET,
                                        mode=mode)  # fmt: skip


def message_xml(content: str = "订单 PO-1 还没发货", msg_id: str = "1001", *,
                openid: str = OPENID, msg_type: str = "text", **extra: str) -> str:  # fmt: skip
    fields = {"ToUserName": OA, "FromUserName": openid, "CreateTime": str(int(time.time())),
              "MsgType": msg_type}  # fmt: skip
    if msg_type == "text":
        fields["Content"] = content
    if msg_id:
        fields["MsgId"] = msg_id
    fields.update(extra)
    inner = "".join(
        f"<{k}>{v}</{k}>" if k in ("CreateTime", "MsgId") else f"<{k}><![CDATA[{v}]]></{k}>"
        for k, v in fields.items()
    )
    return f"<xml>{inner}</xml>"


@dataclass
class Sent:
    status: int
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    def reply(self) -> str:
        """The passive reply's text, decrypted when sealed."""
        push = parse_push(self.body)
        if push.encrypt:
            inner = crypto.decrypt(push.encrypt, encoding_aes_key=AES_KEY, appid=APP_ID)
            return parse_push(inner.encode()).content
        return push.content


def post_encrypted(client: Client, xml: str, *, code: str = "demo", tamper: str = "",
                   timestamp: str = "1714112445", nonce: str = "415670741") -> Sent:  # fmt: skip
    """POST as WeChat does in safe mode; ``tamper``: "signature" flips the msg_signature,
    "body" alters the ciphertext after signing, "plain-signature" signs with ``signature`` only."""
    sealed = crypto.seal_reply(xml, token=TOKEN, encoding_aes_key=AES_KEY, appid=APP_ID,
                               timestamp=timestamp, nonce=nonce)  # fmt: skip
    encrypted, msg_signature = sealed.encrypt, sealed.msg_signature
    if tamper == "signature":
        msg_signature = msg_signature[:-1] + ("0" if msg_signature[-1] != "0" else "1")
    if tamper == "body":
        encrypted = ("B" if encrypted[0] != "B" else "C") + encrypted[1:]
    plain_signature = crypto.sha1_signature(TOKEN, timestamp, nonce)
    if tamper == "plain-signature":
        msg_signature = plain_signature
    body = f"<xml><ToUserName><![CDATA[{OA}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    query = (f"signature={plain_signature}&timestamp={timestamp}&nonce={nonce}&openid={OPENID}"
             f"&encrypt_type=aes&msg_signature={msg_signature}")  # fmt: skip
    response = client.post(f"/wechat/{code}/?{query}", body, content_type="text/xml")
    return Sent(response.status_code, response.content)


def post_plain(client: Client, body: str, *, code: str = "demo", signature: str = "") -> Sent:
    timestamp, nonce = str(int(time.time())), "486452656"
    signature = signature or crypto.sha1_signature(TOKEN, timestamp, nonce)
    query = f"signature={signature}&timestamp={timestamp}&nonce={nonce}&openid={OPENID}"
    response = client.post(f"/wechat/{code}/?{query}", body, content_type="text/xml")
    return Sent(response.status_code, response.content)


@dataclass
class FakeWechat:
    """WeChat's API on 127.0.0.1: hands out access tokens and records customer-service messages.

    ``expire()`` makes the current token answer 42001 (expired), as WeChat does; ``refuse``
    answers sends with that errcode (e.g. 45015: the follower has not written for 48 hours)."""

    tokens_issued: list[str] = field(default_factory=list)
    token_requests: list[dict[str, list[str]]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    used_tokens: list[str] = field(default_factory=list)
    expired: set[str] = field(default_factory=set)
    refuse: int = 0
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def expire(self) -> None:
        self.expired.update(self.tokens_issued)

    def start(self) -> FakeWechat:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, data: dict[str, Any]) -> None:
                body = json.dumps(data).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                query = parse_qs(url.query)
                if url.path != "/cgi-bin/token":
                    return self._answer({"errcode": 404, "errmsg": "no such API"})
                fake.token_requests.append(query)
                if query.get("appid") != [APP_ID] or query.get("secret") != [APP_SECRET]:
                    return self._answer({"errcode": 40125, "errmsg": "invalid appsecret"})
                token = f"TOKEN-{len(fake.tokens_issued) + 1}"
                fake.tokens_issued.append(token)
                self._answer({"access_token": token, "expires_in": 7200})

            def do_POST(self) -> None:
                url = urlsplit(self.path)
                token = parse_qs(url.query).get("access_token", [""])[0]
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.used_tokens.append(token)
                if url.path != "/cgi-bin/message/custom/send":
                    return self._answer({"errcode": 404, "errmsg": "no such API"})
                if token in fake.expired:
                    return self._answer({"errcode": 42001, "errmsg": "access_token expired"})
                if token not in fake.tokens_issued:
                    return self._answer({"errcode": 40001, "errmsg": "invalid credential"})
                if fake.refuse:
                    return self._answer(
                        {"errcode": fake.refuse, "errmsg": "response out of time limit"}
                    )
                fake.messages.append(body)
                self._answer({"errcode": 0, "errmsg": "ok"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
