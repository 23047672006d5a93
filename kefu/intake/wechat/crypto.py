"""WeChat's message-push signatures and safe-mode encryption (消息加解密), the official algorithm.

Pure functions, no Django: the vectors in ``../shared/data/wechat/`` test them directly.

* URL verification and plaintext pushes: ``signature = sha1(sorted([token, timestamp, nonce]))``.
* Safe mode (``encrypt_type=aes``): ``msg_signature = sha1(sorted([token, timestamp, nonce,
  Encrypt]))``; the plain ``signature`` must not be relied on there.
* ``AESKey = base64(EncodingAESKey + "=")`` (32 bytes), AES-256-CBC with IV = ``AESKey[:16]``,
  PKCS#7 padded to a multiple of **32** bytes; the plaintext is ``random(16) + len(msg) (4 bytes,
  big-endian) + msg + appid``, and the trailing appid must be the receiver's own.

Written against ``cryptography`` rather than an SDK: the algorithm is a page long, and the vectors
check every step (including the 32-byte padding that 16-byte implementations get wrong).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32  # WeChat pads to 32 bytes, not AES's 16


class CryptoError(Exception):
    """A push that does not decrypt, or decrypts to someone else's appid; ``str()`` says why."""


def sha1_signature(*parts: str) -> str:
    """sha1 of the parts sorted as plain strings and joined, lowercase hex."""
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def signature_matches(expected: str, given: str) -> bool:
    """Constant-time comparison of hex signatures (case-insensitive, as WeChat sends lowercase)."""
    return hmac.compare_digest(expected.lower().encode(), (given or "").strip().lower().encode())


def url_signature_ok(token: str, timestamp: str, nonce: str, signature: str) -> bool:
    return signature_matches(sha1_signature(token, timestamp, nonce), signature)


def msg_signature_ok(token: str, timestamp: str, nonce: str, encrypt: str, signature: str) -> bool:
    return signature_matches(sha1_signature(token, timestamp, nonce, encrypt), signature)


def aes_key(encoding_aes_key: str) -> bytes:
    """The 32-byte key from the 43-character EncodingAESKey."""
    if len(encoding_aes_key) != 43:
        raise CryptoError("EncodingAESKey must be 43 characters")
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except binascii.Error as error:
        raise CryptoError(f"EncodingAESKey is not base64: {error}") from error
    if len(key) != 32:
        raise CryptoError("EncodingAESKey does not decode to 32 bytes")
    return key


def _pad(data: bytes) -> bytes:
    amount = BLOCK - len(data) % BLOCK
    return data + bytes([amount]) * amount


def _unpad(data: bytes) -> bytes:
    if not data:
        raise CryptoError("empty plaintext")
    amount = data[-1]
    if not 1 <= amount <= BLOCK or data[-amount:] != bytes([amount]) * amount:
        raise CryptoError("bad padding")
    return data[:-amount]


def encrypt(msg: str, *, encoding_aes_key: str, appid: str, random16: bytes | None = None) -> str:
    """``Encrypt`` for ``msg``: base64 of the AES-256-CBC ciphertext."""
    key = aes_key(encoding_aes_key)
    body = msg.encode()
    plain = (random16 or os.urandom(16)) + struct.pack(">I", len(body)) + body + appid.encode()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(_pad(plain)) + encryptor.finalize()).decode()


@dataclass(frozen=True)
class Decrypted:
    random16: bytes
    msg: str
    receiveid: str


def decrypt_full(encrypted: str, *, encoding_aes_key: str) -> Decrypted:
    """Decrypt without judging the appid (``decrypt`` does)."""
    key = aes_key(encoding_aes_key)
    try:
        cipher = base64.b64decode(encrypted, validate=True)
    except binascii.Error as error:
        raise CryptoError(f"Encrypt is not base64: {error}") from error
    if not cipher or len(cipher) % 16:
        raise CryptoError("Encrypt is not whole AES blocks")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = _unpad(decryptor.update(cipher) + decryptor.finalize())
    if len(plain) < 20:
        raise CryptoError("plaintext too short")
    (length,) = struct.unpack(">I", plain[16:20])
    if 20 + length > len(plain):
        raise CryptoError("message length runs past the plaintext")
    try:
        msg = plain[20 : 20 + length].decode()
        receiveid = plain[20 + length :].decode()
    except UnicodeDecodeError as error:
        raise CryptoError("plaintext is not UTF-8") from error
    return Decrypted(plain[:16], msg, receiveid)


def decrypt(encrypted: str, *, encoding_aes_key: str, appid: str) -> str:
    """The message inside ``Encrypt``; refused unless it was sealed for ``appid``."""
    decrypted = decrypt_full(encrypted, encoding_aes_key=encoding_aes_key)
    if not hmac.compare_digest(decrypted.receiveid.encode(), appid.encode()):
        raise CryptoError("the message was encrypted for another appid")
    return decrypted.msg


@dataclass(frozen=True)
class SealedReply:
    encrypt: str
    msg_signature: str
    timestamp: str
    nonce: str


def seal_reply(
    msg: str,
    *,
    token: str,
    encoding_aes_key: str,
    appid: str,
    timestamp: str,
    nonce: str,
    random16: bytes | None = None,
) -> SealedReply:
    """An encrypted passive reply and its signature."""
    encrypted = encrypt(msg, encoding_aes_key=encoding_aes_key, appid=appid, random16=random16)
    signature = sha1_signature(token, timestamp, nonce, encrypted)
    return SealedReply(encrypted, signature, timestamp, nonce)
