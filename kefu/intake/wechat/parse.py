"""A WeChat push (XML, or JSON where the account chose JSON) read into one typed shape.

XML from outside is parsed with ``defusedxml``: entity expansion, external entities and DTDs are
refused, so a crafted push cannot read files or exhaust memory. Only the flat fields WeChat sends
are kept; anything else is ignored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

MAX_PUSH_BYTES = 64 * 1024
# OpenIDs (and WeCom user ids) are short and plain; anything else is no sender Kefu can keep.
SENDER = re.compile(
    r"[A-Za-z0-9_.@-]{1,64}"
)  # WeChat's pushes are a few hundred bytes; a text message ≤ 2048 chars


class PushError(ValueError):
    """A push that cannot be read; ``str()`` says why."""


@dataclass(frozen=True)
class Push:
    to_user: str = ""
    from_user: str = ""
    create_time: str = ""
    msg_type: str = ""
    msg_id: str = ""
    content: str = ""
    pic_url: str = ""
    media_id: str = ""
    format: str = ""
    recognition: str = ""
    event: str = ""
    event_key: str = ""
    encrypt: str = ""
    # WeCom customer service's kf_msg_or_event: the sync_msg token and the account it is for.
    sync_token: str = ""
    open_kfid: str = ""
    # Pushed as JSON (mini-program style): no passive reply then.
    as_json: bool = False
    # The push as received (decrypted), kept with the inbound record.
    raw_text: str = ""

    @property
    def dedupe_key(self) -> str:
        """What makes this push unique: MsgId for messages; sender + time for events (WeChat's
        own rule, as events carry no MsgId)."""
        if self.msg_id:
            return self.msg_id
        return f"{self.from_user}:{self.create_time}:{self.event}"


FIELDS = {
    "ToUserName": "to_user",
    "FromUserName": "from_user",
    "CreateTime": "create_time",
    "MsgType": "msg_type",
    "MsgId": "msg_id",
    "Content": "content",
    "PicUrl": "pic_url",
    "MediaId": "media_id",
    "Format": "format",
    "Recognition": "recognition",
    "Event": "event",
    "EventKey": "event_key",
    "Encrypt": "encrypt",
    "Token": "sync_token",
    "OpenKfId": "open_kfid",
}


def _from_xml(raw: bytes) -> dict[str, str]:
    try:
        root = ElementTree.fromstring(raw, forbid_dtd=True)
    except DefusedXmlException as error:
        raise PushError(f"unsafe XML refused: {type(error).__name__}") from error
    except ElementTree.ParseError as error:
        raise PushError(f"not well-formed XML: {error}") from error
    if root.tag != "xml":
        raise PushError(f"the root element is <{root.tag}>, not <xml>")
    return {child.tag: (child.text or "") for child in root if len(child) == 0}


def _from_json(raw: bytes) -> dict[str, str]:
    try:
        data: Any = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise PushError(f"not valid JSON: {error}") from error
    if not isinstance(data, dict):
        raise PushError("the JSON push is not an object")
    return {k: str(v) for k, v in data.items() if isinstance(v, str | int)}


def parse_push(raw: bytes) -> Push:
    """Read a push (XML or JSON, told apart by its first character)."""
    if len(raw) > MAX_PUSH_BYTES:
        raise PushError(f"the push is larger than {MAX_PUSH_BYTES} bytes")
    stripped = raw.lstrip()
    as_json = stripped.startswith(b"{")
    values = _from_json(stripped) if as_json else _from_xml(stripped)
    known = {name: values[tag].strip() for tag, name in FIELDS.items() if tag in values}
    if "content" in known:
        known["content"] = values["Content"]  # the customer's text as written
    if known.get("from_user") and not SENDER.fullmatch(known["from_user"]):
        raise PushError("FromUserName is not an OpenID")
    return Push(**known, as_json=as_json, raw_text=stripped.decode("utf-8", "replace"))


# WeChat takes at most 2048 bytes of text in a passive reply.
MAX_REPLY_BYTES = 2000


def fit_reply(text: str) -> str:
    """``text`` cut (on a character boundary) to what a passive reply may carry."""
    data = text.encode()
    if len(data) <= MAX_REPLY_BYTES:
        return text
    return data[: MAX_REPLY_BYTES - 3].decode("utf-8", "ignore") + "…"


def text_reply_xml(*, to_user: str, from_user: str, create_time: int, content: str) -> str:
    """A passive text reply (被动回复) in WeChat's XML; CDATA is split where the text holds
    ``]]>`` so it cannot break out."""

    def cdata(value: str) -> str:
        return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"

    return (
        f"<xml><ToUserName>{cdata(to_user)}</ToUserName><FromUserName>{cdata(from_user)}"
        f"</FromUserName><CreateTime>{create_time}</CreateTime><MsgType>{cdata('text')}</MsgType>"
        f"<Content>{cdata(content)}</Content></xml>"
    )


def encrypted_reply_xml(*, encrypt: str, msg_signature: str, timestamp: str, nonce: str) -> str:
    return (
        f"<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt><MsgSignature><![CDATA[{msg_signature}]]>"
        f"</MsgSignature><TimeStamp>{timestamp}</TimeStamp><Nonce><![CDATA[{nonce}]]></Nonce></xml>"
    )
