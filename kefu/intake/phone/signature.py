"""Twilio's request signature (``X-Twilio-Signature``), checked on every voice callback.

The platform signs each request with the line's secret: HMAC-SHA1 over the full URL it called
followed by every POST parameter, sorted by name, as name + value with no separators; the
digest is base64-encoded. SignalWire signs its cXML callbacks the same way (with the project's
signing key). Pure, no Django: the view hands in the public URL and the form fields.

Telnyx TeXML signs differently: an Ed25519 signature (``telnyx-signature-ed25519``) over
``<telnyx-timestamp>|<raw body>``, checked with the account's public key; a timestamp more than
five minutes away is refused, so a captured request cannot be replayed later.

Twilio's own libraries accept the URL with or without the scheme's default port (some proxies
add ``:443``), so both forms are tried; the comparison is constant-time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

HEADER = "X-Twilio-Signature"
# SignalWire's cXML callbacks carry the same signature under their own name too.
HEADERS = (HEADER, "X-SignalWire-Signature")
DEFAULT_PORTS = {"http": 80, "https": 443}


def compute(secret: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """The signature of a request to ``url`` with these form fields (repeated names allowed)."""
    data = url + "".join(name + value for name, value in sorted(params))
    digest = hmac.new(secret.encode(), data.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def _url_forms(url: str) -> list[str]:
    """The URL as given, without its default port, and with it."""
    parts = urlsplit(url)
    default = DEFAULT_PORTS.get(parts.scheme)
    host = parts.hostname or ""
    if parts.port is not None and parts.port != default:
        return [url]
    netloc = parts.netloc.rsplit("@", 1)
    userinfo = netloc[0] + "@" if len(netloc) == 2 else ""
    bare = urlunsplit(parts._replace(netloc=f"{userinfo}{host}"))
    ported = urlunsplit(parts._replace(netloc=f"{userinfo}{host}:{default}"))
    return [url, bare, ported]


def is_valid(secret: str, url: str, params: Iterable[tuple[str, str]], signature: str) -> bool:
    """Whether ``signature`` was made with ``secret`` for this URL and these fields."""
    if not secret or not signature:
        return False
    fields = list(params)
    given = signature.encode("ascii", "replace")
    found = False
    for form in _url_forms(url):
        # Every form is computed and compared: the time taken says nothing about which matched.
        expected = compute(secret, form, fields).encode("ascii")
        found = hmac.compare_digest(expected, given) or found
    return found


TELNYX_SIGNATURE = "telnyx-signature-ed25519"
TELNYX_TIMESTAMP = "telnyx-timestamp"
TELNYX_TOLERANCE_SECONDS = 300


def load_ed25519_key(text: str) -> Ed25519PublicKey | None:
    """The public key from its base64 form, or None if it is not one."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        return None


def is_valid_telnyx(
    public_key: str, body: bytes, timestamp: str, signature: str, now: float
) -> bool:
    """Whether Telnyx signed this body at ``timestamp`` (Unix seconds, within the tolerance)."""
    key = load_ed25519_key(public_key) if public_key else None
    if key is None or not timestamp.isdigit() or not signature:
        return False
    if abs(now - int(timestamp)) > TELNYX_TOLERANCE_SECONDS:
        return False
    try:
        key.verify(base64.b64decode(signature, validate=True), timestamp.encode() + b"|" + body)
    except (InvalidSignature, ValueError):
        return False
    return True
