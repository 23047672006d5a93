"""Telnyx TeXML signs with Ed25519 over ``timestamp|body``: with the line's Telnyx public key set,
such a request is answered; a changed body, a stale timestamp or another key's signature gets
403, and a line without the key accepts none."""

import base64
from urllib.parse import urlencode

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from kefu.intake.phone.models import Call
from kefu.intake.phone.tests.conftest import NUMBER, OTTO_MOBILE

TELNYX_CALL = "v3:9X2vxPDFY2RHSJ1EdMS0RHRksMTg7ldNxdjWbVr9zBjbGjGsSe-aiQ"


def _public(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def _post(url: str, key: Ed25519PrivateKey, body: bytes, at: int, sent: bytes | None = None):  # type: ignore[no-untyped-def]
    signed = base64.b64encode(key.sign(str(at).encode() + b"|" + body)).decode()
    headers = {"telnyx-signature-ed25519": signed, "telnyx-timestamp": str(at),
               "content-type": "application/x-www-form-urlencoded"}  # fmt: skip
    return httpx.post(url, content=sent if sent is not None else body, headers=headers)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_telnyx_signatures_are_checked_with_the_lines_public_key(hotline, live_server, frozen):
    telnyx, stranger = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    url = f"{live_server.url}/voice/{hotline.code}/incoming"
    body = urlencode({"CallSid": TELNYX_CALL, "From": OTTO_MOBILE, "To": NUMBER}).encode()
    now = int(frozen.now.timestamp())

    assert _post(url, telnyx, body, now).status_code == 403  # the line has no Telnyx key yet
    hotline.telnyx_public_key = _public(telnyx)
    hotline.full_clean()
    hotline.save()
    assert _post(url, stranger, body, now).status_code == 403
    assert _post(url, telnyx, body, now - 600).status_code == 403  # ten minutes old
    tampered = body.replace(b"From=%2B86138", b"From=%2B86139")
    assert _post(url, telnyx, body, now, sent=tampered).status_code == 403
    assert not Call.objects.exists()

    answered = _post(url, telnyx, body, now)
    assert answered.status_code == 200 and b"<Gather" in answered.content
    assert Call.objects.get().call_sid == TELNYX_CALL
