"""The raw inbound payloads (an .eml as received, or a form/API message as JSON) kept for audit
and for re-processing from the quarantine.

They hold exactly what masking removes from the database rows (card, ID and phone numbers), so
they are encrypted at rest (``kefu.crypto``), written with mode 0600 in directories of mode 0700,
and named by a keyed hash that still stores the same bytes once but reveals nothing about them.
Files written before encryption stay readable: ``read`` returns unmarked files as they are, and
``kefu encrypt_at_rest`` rewrites them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, default_storage

from kefu import crypto

FOLDER = "inbound"


def storage() -> Storage:
    """The default storage; on a file system, one that creates private files and folders."""
    if isinstance(default_storage, FileSystemStorage):
        return FileSystemStorage(
            location=settings.MEDIA_ROOT,
            file_permissions_mode=0o600,
            directory_permissions_mode=0o700,
        )
    return default_storage


def keep(raw: bytes, suffix: str) -> str:
    """Store ``raw`` encrypted (once per content); its path relative to the media root."""
    name = crypto.name_for(raw)
    path = f"{FOLDER}/{name[:2]}/{name}{suffix}"
    store = storage()
    if not store.exists(path):
        path = store.save(path, ContentFile(crypto.encrypt(raw)))
    return path


def read(path: str) -> bytes:
    """The payload as received, decrypted (or as it is, from before encryption)."""
    with storage().open(path, "rb") as stored:
        return crypto.decrypt(stored.read())


def encrypt_existing() -> int:
    """Rewrite every kept payload that is in clear (from before encryption) or under an older
    key: encrypted with the current key, under its new name; the records follow. Returns how
    many files were rewritten."""
    from kefu.intake.models import InboundRecord, Quarantine

    paths = set(InboundRecord.objects.exclude(raw_path="").values_list("raw_path", flat=True))
    paths |= set(Quarantine.objects.exclude(raw_path="").values_list("raw_path", flat=True))
    store, rewritten = storage(), 0
    for path in sorted(paths):
        if not store.exists(path):
            continue
        with store.open(path, "rb") as stored:
            data = stored.read()
        if crypto.is_current(data):
            continue
        suffix = "." + path.rsplit(".", 1)[1] if "." in path.rsplit("/", 1)[-1] else ""
        new_path = keep(crypto.decrypt(data), suffix)
        InboundRecord.objects.filter(raw_path=path).update(raw_path=new_path)
        Quarantine.objects.filter(raw_path=path).update(raw_path=new_path)
        if new_path != path:
            store.delete(path)
        rewritten += 1
    return rewritten
