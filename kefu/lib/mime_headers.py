"""Header decoding that survives real mail: RFC 2047 words, raw 8-bit bytes, broken addresses.

Values are read raw (``Message.raw_items``) rather than through ``policy.default``'s header
objects, because those replace raw 8-bit bytes (Big5, GBK) with U+FFFD before we can see them,
and raise on some malformed values.  The helpers below decode the original bytes themselves.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from kefu.lib.mime_charset import decode_bytes

_ENCODED_WORD = re.compile(r"=\?([^?\s]+?)\?([bBqQ])\?([^?]*?)\?=")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_SPACES = re.compile(r"[ \t\r\n]+")
_ANGLE_ADDRESS = re.compile(r"<([^<>\s]+@[^<>\s]+)>")
_BARE_ADDRESS = re.compile(r"([^\s<>\"]+@[^\s<>\"]+)")
_MSGID = re.compile(r"<([^<>\s]+)>")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Mailbox:
    """One address from an address header; ``name`` is the decoded display name ('' if none)."""

    name: str
    address: str

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>" if self.name else self.address


def raw_values(part: Message, name: str) -> list[str]:
    """Every raw value of header ``name`` (surrogate-escaped where the bytes were 8-bit)."""
    wanted = name.lower()
    return [str(value) for key, value in part.raw_items() if key.lower() == wanted]


def raw_value(part: Message, name: str) -> str | None:
    values = raw_values(part, name)
    return values[0] if values else None


def raw_to_text(value: str, hint: str | None = None) -> str:
    """Turn surrogate-escaped raw 8-bit header bytes into text, guessing their charset."""
    if value.isascii():
        return value
    try:
        data = value.encode("ascii", "surrogateescape")
    except UnicodeEncodeError:
        return value  # already real text (a str-built message), nothing to recover
    return decode_bytes(data, None, hint=hint).text


def unfold(value: str) -> str:
    return _SPACES.sub(" ", _FOLD.sub("", value)).strip()


def decode_words(value: str, hint: str | None = None) -> str:
    """Decode RFC 2047 encoded-words (and raw 8-bit bytes) in an unstructured header value.

    Adjacent words in the same charset are joined before decoding, so a character split
    across words survives; whitespace between encoded-words is dropped as the RFC says.
    """
    pieces: list[tuple[str | None, bytes | str]] = []  # (charset, bytes) or (None, literal)
    position = 0
    for match in _ENCODED_WORD.finditer(value):
        literal = value[position : match.start()]
        between_words = pieces and pieces[-1][0] is not None and literal.isspace()
        if literal and not between_words:
            pieces.append((None, literal))
        charset, encoding, payload = match.groups()
        data = _decode_word_payload(encoding, payload)
        if data is None:
            pieces.append((None, match.group(0)))
        else:
            _append_word(pieces, charset.split("*", 1)[0].lower(), data)
        position = match.end()
    if value[position:]:
        pieces.append((None, value[position:]))
    return "".join(_render(piece, hint) for piece in pieces)


def _append_word(pieces: list[tuple[str | None, bytes | str]], charset: str, data: bytes) -> None:
    if pieces and pieces[-1][0] == charset and isinstance(pieces[-1][1], bytes):
        pieces[-1] = (charset, pieces[-1][1] + data)
    else:
        pieces.append((charset, data))


def _decode_word_payload(encoding: str, payload: str) -> bytes | None:
    try:
        if encoding in "bB":
            cleaned = re.sub(r"[^A-Za-z0-9+/]", "", payload)
            return base64.b64decode(cleaned + "=" * (-len(cleaned) % 4))
        return binascii.a2b_qp(payload.encode("ascii", "surrogateescape"), header=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None


def _render(piece: tuple[str | None, bytes | str], hint: str | None) -> str:
    charset, content = piece
    if isinstance(content, str):
        return raw_to_text(content, hint)
    return decode_bytes(content, charset, hint=hint).text


def decode_unstructured(value: str | None, hint: str | None = None) -> str:
    """Subject-like header: unfolded, encoded-words decoded, control characters removed."""
    if not value:
        return ""
    text = decode_words(unfold(value), hint)
    return _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()


def parse_addresses(value: str | None, hint: str | None = None) -> list[Mailbox]:
    """Addresses of a To/From/Cc-like header; display names decoded; junk entries dropped."""
    if not value:
        return []
    text = unfold(raw_to_text(value, hint))
    result = []
    for name, address in getaddresses([text]):
        name, address = _repair_mailbox(name, _CONTROL.sub("", address).strip())
        name = decode_unstructured(name, hint)
        if address or name:
            result.append(Mailbox(name=name, address=address))
    return result


def _repair_mailbox(name: str, address: str) -> tuple[str, str]:
    """``"Broken <a@b>`` (an unterminated quote) parses as one address; split it again."""
    if " " not in address and "<" not in address:
        return name, address
    inner = _ANGLE_ADDRESS.search(address) or _BARE_ADDRESS.search(address)
    if inner is None:
        return name, address
    leftover = (address[: inner.start()] + address[inner.end() :]).strip(' "<>')
    return name or leftover, inner.group(1)


def parse_message_ids(value: str | None) -> list[str]:
    """Message-IDs in a Message-ID / In-Reply-To / References value, without angle brackets."""
    if not value:
        return []
    text = unfold(raw_to_text(value))
    found = _MSGID.findall(text)
    if not found:
        found = [token.strip("<>,;") for token in text.split() if "@" in token]
    return list(dict.fromkeys(item for item in found if item))


def parse_date(value: str | None) -> datetime | None:
    """An aware datetime for a Date header, UTC when the zone is missing; None if unparseable."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(unfold(raw_to_text(value)))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def header_param(raw_header: str | None, param: str, hint: str | None = None) -> str | None:
    """A parameter of a structured header (``filename``, ``name``, ``charset``), decoded.

    Handles RFC 2231 (``name*=utf-8''%E5%90%88``, continuations), RFC 2047 words inside quoted
    values (Outlook, Gmail) and raw 8-bit values (Apple Mail, Chinese clients).
    """
    if not raw_header:
        return None
    carrier = Message()
    carrier["X-Param"] = unfold(raw_to_text(raw_header, hint))
    value = carrier.get_param(param, header="x-param")
    if value is None:
        return None
    if isinstance(value, tuple):
        charset, _language, encoded = value
        try:
            data = encoded.encode("latin-1")
        except UnicodeEncodeError:
            return decode_unstructured(encoded, hint)
        return decode_bytes(data, charset or None, hint=hint).text
    return decode_unstructured(str(value), hint)
