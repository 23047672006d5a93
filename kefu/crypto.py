"""Encryption at rest for what Kefu must keep but nobody should read off a disk, a backup or a
database dump: raw inbound messages (files, see ``intake/rawstore.py``) and secrets in the
database (``EncryptedTextField``).

The key. ``KEFU_ENCRYPTION_KEY`` holds one or more Fernet keys, comma-separated (``kefu
encrypt_at_rest --generate-key`` prints a new one): the first encrypts, every one decrypts, so a
key is rotated by putting the new one first, running ``kefu encrypt_at_rest`` and then dropping
the old one. Unset, a key
is generated once into ``KEFU_DATA_DIR/encryption_key`` (mode 0600), so the embedded default still
runs with one command. Every node that reads or writes the same database and media (servers,
workers, ``kefu smtpd``) must share the key: set the variable on all of them, or copy the file.
Losing the key loses what it encrypted.

Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``) authenticates as well as hides: a
tampered file or value fails to decrypt instead of yielding altered data. Data written before
encryption existed has no marker and is returned as it is, so old files and rows stay readable
until ``kefu encrypt_at_rest`` rewrites them.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import models

# Marks encrypted data: files start with FILE_MARK, database values with VALUE_MARK.
FILE_MARK = b"KEFU-FERNET-1\n"
VALUE_MARK = "fernet1:"
KEY_FILE_NAME = "encryption_key"


def key_file() -> Path:
    return Path(settings.DATA_DIR) / KEY_FILE_NAME


def _configured_keys() -> str:
    """The keys from the setting, else from the key file (created on first use)."""
    configured = getattr(settings, "KEFU_ENCRYPTION_KEY", "") or ""
    if configured.strip():
        return configured
    path = key_file()
    if not path.exists():
        _create_key_file(path)
    return path.read_text().strip()


def _create_key_file(path: Path) -> None:
    """Write a new key atomically with mode 0600; a process that loses the race keeps the key
    the winner wrote (``os.link`` refuses to replace an existing file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    try:
        os.fchmod(descriptor, 0o600)
        os.write(descriptor, Fernet.generate_key() + b"\n")
        os.close(descriptor)
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


@lru_cache(maxsize=4)
def _fernet(keys: str) -> tuple[MultiFernet, bytes]:
    """The key ring and the secret that names files (derived from the first key)."""
    parsed = [Fernet(key.strip()) for key in keys.split(",") if key.strip()]
    naming = hmac.new(keys.split(",")[0].strip().encode(), b"kefu file names", "sha256").digest()
    return MultiFernet(parsed), naming


def _ring() -> tuple[MultiFernet, bytes]:
    return _fernet(_configured_keys())


def encrypt(data: bytes) -> bytes:
    """``data`` encrypted with the first key, with the marker that tells it from plain data."""
    return FILE_MARK + _ring()[0].encrypt(data)


def decrypt(data: bytes) -> bytes:
    """The plain bytes of what ``encrypt`` wrote; unmarked (older, plain) data as it is."""
    if not data.startswith(FILE_MARK):
        return data
    return _ring()[0].decrypt(data[len(FILE_MARK) :])


def is_current(data: bytes) -> bool:
    """Encrypted, and with the first key (what ``kefu encrypt_at_rest`` leaves alone)."""
    if not data.startswith(FILE_MARK):
        return False
    first = Fernet(_configured_keys().split(",")[0].strip())
    try:
        first.decrypt(data[len(FILE_MARK) :])
    except Exception:
        return False
    return True


def name_for(data: bytes) -> str:
    """A content address that does not reveal the content: HMAC-SHA256 under a key-derived
    secret, so a guessed message cannot be confirmed by hashing it (a plain SHA-256 could)."""
    return hmac.new(_ring()[1], data, hashlib.sha256).hexdigest()


def encrypt_text(value: str) -> str:
    return VALUE_MARK + _ring()[0].encrypt(value.encode()).decode()


def decrypt_text(value: str) -> str:
    if not value.startswith(VALUE_MARK):
        return value  # written before the field was encrypted
    return _ring()[0].decrypt(value[len(VALUE_MARK) :].encode()).decode()


class EncryptedTextField(models.TextField):
    """Text stored encrypted (``fernet1:…``) and read back in clear.

    Use it for secrets Kefu must send somewhere (an IMAP password, a webhook signing secret)::

        signing_secret = EncryptedTextField(_("signing secret"), blank=True)

    then ``makemigrations``; rows written before stay readable (unmarked values are returned as
    they are) and a ``RunPython`` that saves each row again encrypts them (see
    ``intake/migrations/0006_encrypt_imap_password.py``). Each write encrypts with a fresh IV,
    so the column cannot be filtered or indexed by value; only ``""`` is stored as it is, so
    "is it set?" queries still work. In forms, show it as a write-only password input (see
    ``intake/admin.py``'s ``MailboxForm``), never with the value rendered back.
    """

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return decrypt_text(value) if isinstance(value, str) else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt_text(str(value))
