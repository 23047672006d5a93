"""What tests need to play WeCom customer service (微信客服): callbacks signed and encrypted as
WeCom does (CorpID as the receiver), and a fake WeCom API server, a real HTTP server on 127.0.0.1,
that hands out access tokens, serves ``kf/sync_msg`` pages by cursor and records ``kf/send_msg``."""

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
from kefu.intake.wechat.models import WecomKfAccount

CORP_ID = "wx49f0ab532d5d035a"  # the shared vector W2 (wechatpy's WeCom test)
SECRET = "wecom-kf-secret"
TOKEN = "123456"
AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
OPEN_KFID = "wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q"
CUSTOMER = "wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw"


def make_kf_account(code: str = "kf") -> WecomKfAccount:
    return WecomKfAccount.objects.create(code=code, name="微信客服", corp_id=CORP_ID, secret=SECRET,
                                         token=TOKEN, encoding_aes_key=AES_KEY)  # fmt: skip


def kf_event_xml(sync_token: str = "ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR") -> str:
    return (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><CreateTime>{int(time.time())}"
        "</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]>"
        f"</Event><Token><![CDATA[{sync_token}]]></Token><OpenKfId><![CDATA[{OPEN_KFID}]]>"
        "</OpenKfId></xml>"
    )


def post_callback(client: Client, xml: str, *, code: str = "kf", tamper: bool = False) -> int:
    timestamp, nonce = str(int(time.time())), "1372623149"
    sealed = crypto.seal_reply(xml, token=TOKEN, encoding_aes_key=AES_KEY, appid=CORP_ID,
                               timestamp=timestamp, nonce=nonce)  # fmt: skip
    signature = sealed.msg_signature
    if tamper:
        signature = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    body = (f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><Encrypt><![CDATA["
            f"{sealed.encrypt}]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>")  # fmt: skip
    query = f"msg_signature={signature}&timestamp={timestamp}&nonce={nonce}"
    return client.post(f"/wecom/{code}/?{query}", body, content_type="text/xml").status_code


def text_msg(
    msgid: str, content: str, *, origin: int = 3, customer: str = CUSTOMER
) -> dict[str, Any]:
    return {"msgid": msgid, "open_kfid": OPEN_KFID, "external_userid": customer,
            "send_time": int(time.time()), "origin": origin, "msgtype": "text",
            "text": {"content": content}}  # fmt: skip


@dataclass
class FakeWecom:
    """``pages``: what sync_msg serves, one list of messages per cursor position ("" first);
    ``expire()`` makes the issued tokens answer 42001."""

    pages: list[list[dict[str, Any]]] = field(default_factory=list)
    tokens_issued: list[str] = field(default_factory=list)
    token_requests: list[dict[str, list[str]]] = field(default_factory=list)
    sync_requests: list[dict[str, Any]] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    used_tokens: list[str] = field(default_factory=list)
    expired: set[str] = field(default_factory=set)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def expire(self) -> None:
        self.expired.update(self.tokens_issued)

    def _sync(self, body: dict[str, Any]) -> dict[str, Any]:
        self.sync_requests.append(body)
        cursor = body.get("cursor") or ""
        at = int(cursor.removeprefix("C")) if cursor else 0
        page = self.pages[at] if at < len(self.pages) else []
        following = min(at + 1, len(self.pages))
        return {"errcode": 0, "errmsg": "ok", "next_cursor": f"C{following}",
                "has_more": int(following < len(self.pages)), "msg_list": page}  # fmt: skip

    def start(self) -> FakeWecom:
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
                if url.path != "/cgi-bin/gettoken":
                    return self._answer({"errcode": 404, "errmsg": "no such API"})
                fake.token_requests.append(query)
                if query.get("corpid") != [CORP_ID] or query.get("corpsecret") != [SECRET]:
                    return self._answer({"errcode": 40001, "errmsg": "invalid secret"})
                token = f"WKTOKEN-{len(fake.tokens_issued) + 1}"
                fake.tokens_issued.append(token)
                self._answer({"errcode": 0, "access_token": token, "expires_in": 7200})

            def do_POST(self) -> None:
                url = urlsplit(self.path)
                token = parse_qs(url.query).get("access_token", [""])[0]
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.used_tokens.append(token)
                if token in fake.expired:
                    return self._answer({"errcode": 42001, "errmsg": "access_token expired"})
                if token not in fake.tokens_issued:
                    return self._answer({"errcode": 40014, "errmsg": "invalid access_token"})
                if url.path == "/cgi-bin/kf/sync_msg":
                    return self._answer(fake._sync(body))
                if url.path == "/cgi-bin/kf/send_msg":
                    fake.sent.append(body)
                    return self._answer({"errcode": 0, "errmsg": "ok", "msgid": "MSG"})
                self._answer({"errcode": 404, "errmsg": "no such API"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
