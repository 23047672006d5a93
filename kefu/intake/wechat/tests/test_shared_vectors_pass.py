"""Every vector in ``../shared/data/wechat/wechat_vectors.json`` passes through Kefu's WeChat
crypto, and the negative cases the vectors' notes derive are refused.

CI has ``../shared`` beside the clone; ``KEFU_SHARED_DIR`` points elsewhere (a worktree). Without
the directory the tests skip, saying where they looked.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

import pytest

from kefu.intake.wechat import crypto
from kefu.intake.wechat.parse import parse_push

REPOSITORY = Path(__file__).resolve().parents[4]
SHARED = Path(os.environ.get("KEFU_SHARED_DIR") or REPOSITORY / ".." / "shared")
VECTORS = SHARED / "data" / "wechat" / "wechat_vectors.json"

pytestmark = pytest.mark.skipif(
    not VECTORS.is_file(), reason=f"shared WeChat vectors not found at {VECTORS}"
)


def _vectors() -> dict[str, dict[str, Any]]:
    data = json.loads(VECTORS.read_text(encoding="utf-8"))
    return {vector["id"]: vector for vector in data["vectors"]}


@pytest.fixture(scope="module")
def vectors() -> dict[str, dict[str, Any]]:
    return _vectors()


def _flip(signature: str) -> str:
    return signature[:-1] + ("0" if signature[-1] != "0" else "1")


def test_the_file_holds_the_ten_vectors_this_suite_checks(vectors):
    assert set(vectors) == {
        "official-url-verify",
        "official-plain-post",
        "official-safe-mode-inbound",
        "official-safe-mode-reply",
        "tencent-sample-oa-xml-decrypt",
        "pywe-oa-xml-encrypt-fixed-random",
        "wechatpy-url-signature",
        "wechatpy-wecom-echostr",
        "wechatpy-wecom-decrypt",
        "wechatpy-wecom-encrypt-fixed-random",
    }


@pytest.mark.parametrize("name", ["official-url-verify", "official-plain-post"])
def test_url_and_plaintext_signatures(vectors, name):
    v = vectors[name]
    assert "".join(sorted([v["token"], v["timestamp"], v["nonce"]])) == v["sorted_concat"]
    assert crypto.sha1_signature(v["token"], v["timestamp"], v["nonce"]) == v["signature"]
    assert crypto.url_signature_ok(v["token"], v["timestamp"], v["nonce"], v["signature"])
    assert not crypto.url_signature_ok(
        v["token"], v["timestamp"], v["nonce"], _flip(v["signature"])
    )


def test_wechatpy_url_signature_and_its_negative(vectors):
    v = vectors["wechatpy-url-signature"]
    assert crypto.url_signature_ok(v["token"], v["timestamp"], v["nonce"], v["signature"])
    assert not crypto.url_signature_ok(
        v["token"], v["timestamp"], v["nonce"], v["negative_signature"]
    )


def test_official_safe_mode_inbound_decrypts_step_by_step(vectors):
    v = vectors["official-safe-mode-inbound"]
    encrypted = v["body_json"]["Encrypt"]
    assert crypto.msg_signature_ok(
        v["token"], v["timestamp"], v["nonce"], encrypted, v["msg_signature"]
    )
    # The URL's plain ``signature`` is over three params only: it must not pass as msg_signature.
    assert crypto.url_signature_ok(v["token"], v["timestamp"], v["nonce"], v["signature"])
    assert not crypto.msg_signature_ok(
        v["token"], v["timestamp"], v["nonce"], encrypted, v["signature"]
    )
    assert len(base64.b64decode(encrypted)) == v["decoded_ciphertext_bytes"]
    full = crypto.decrypt_full(encrypted, encoding_aes_key=v["encoding_aes_key"])
    assert full.random16 == v["random16"].encode()
    assert len(full.msg.encode()) == v["msg_len"]
    assert 16 + 4 + v["msg_len"] + len(full.receiveid) == v["fullstr_bytes_after_unpad"]
    assert full.receiveid == v["receiveid"] == v["appid"]
    assert (
        crypto.decrypt(encrypted, encoding_aes_key=v["encoding_aes_key"], appid=v["appid"])
        == v["msg"]
    )
    push = parse_push(v["msg"].encode())
    assert (push.from_user, push.msg_type, push.event) == (v["openid"], "event", "debug_demo")


def test_official_safe_mode_inbound_re_encrypts_exactly_with_32_byte_padding(vectors):
    v = vectors["official-safe-mode-inbound"]
    again = crypto.encrypt(v["msg"], encoding_aes_key=v["encoding_aes_key"], appid=v["appid"],
                           random16=v["random16"].encode())  # fmt: skip
    assert again == v["body_json"]["Encrypt"]
    assert len(base64.b64decode(again)) == 224  # 16-byte padding would give 208


@pytest.mark.parametrize(
    "name",
    [
        "official-safe-mode-reply",
        "pywe-oa-xml-encrypt-fixed-random",
        "wechatpy-wecom-encrypt-fixed-random",
    ],
)
def test_encrypted_replies_with_a_fixed_random(vectors, name):
    v = vectors[name]
    appid = v.get("appid") or v["receiveid"]
    timestamp = str(v.get("TimeStamp") or v["timestamp"])
    nonce = str(v.get("Nonce") or v["nonce"])
    sealed = crypto.seal_reply(v["msg"], token=v["token"], encoding_aes_key=v["encoding_aes_key"],
                               appid=appid, timestamp=timestamp, nonce=nonce,
                               random16=v["random16"].encode())  # fmt: skip
    assert sealed.encrypt == v["Encrypt"]
    assert sealed.msg_signature == v["MsgSignature"]
    if "ciphertext_bytes" in v:
        assert len(base64.b64decode(sealed.encrypt)) == v["ciphertext_bytes"]
    assert (
        crypto.decrypt(sealed.encrypt, encoding_aes_key=v["encoding_aes_key"], appid=appid)
        == v["msg"]
    )


def test_tencent_sample_xml_decrypts_and_refuses_another_appid(vectors):
    v = vectors["tencent-sample-oa-xml-decrypt"]
    outer = parse_push(v["post_xml"].encode())
    assert crypto.msg_signature_ok(
        v["token"], v["timestamp"], v["nonce"], outer.encrypt, v["msg_signature"]
    )
    assert not crypto.msg_signature_ok(
        v["token"], v["timestamp"], v["nonce"], outer.encrypt, _flip(v["msg_signature"])
    )
    full = crypto.decrypt_full(outer.encrypt, encoding_aes_key=v["encoding_aes_key"])
    assert full.random16 == v["random16"].encode()
    assert len(full.msg.encode()) == v["msg_len"]
    assert (
        crypto.decrypt(outer.encrypt, encoding_aes_key=v["encoding_aes_key"], appid=v["appid"])
        == v["decrypted_xml"]
    )
    with pytest.raises(crypto.CryptoError, match="another appid"):
        crypto.decrypt(
            outer.encrypt, encoding_aes_key=v["encoding_aes_key"], appid="wx0000000000000000"
        )
    inner = parse_push(v["decrypted_xml"].encode())
    assert (inner.msg_type, inner.content, inner.msg_id) == (
        "text",
        "abcdteT",
        "6054768590064713728",
    )


def test_wecom_echostr_is_verified_and_decrypted(vectors):
    v = vectors["wechatpy-wecom-echostr"]
    assert crypto.msg_signature_ok(
        v["token"], v["timestamp"], v["nonce"], v["echostr"], v["msg_signature"]
    )
    assert not crypto.msg_signature_ok(
        v["token"], v["timestamp"], "437374424", v["echostr"], v["msg_signature"]
    )
    assert (
        crypto.decrypt(v["echostr"], encoding_aes_key=v["encoding_aes_key"], appid=v["receiveid"])
        == v["decrypted_echostr"]
    )


def test_wecom_message_decrypts(vectors):
    v = vectors["wechatpy-wecom-decrypt"]
    assert crypto.msg_signature_ok(
        v["token"], v["timestamp"], v["nonce"], v["Encrypt"], v["msg_signature"]
    )
    xml = crypto.decrypt(v["Encrypt"], encoding_aes_key=v["encoding_aes_key"], appid=v["receiveid"])
    assert xml == v["decrypted_xml"]
    push = parse_push(xml.encode())
    assert (push.msg_type, push.content, push.from_user) == ("text", "test", "messense")
