"""The secret key when the operator sets none: made once at random, kept in the data directory.

Kefu used to fall back to a key printed in its own source, so every installation that forgot
``KEFU_SECRET_KEY`` signed sessions and password-reset links with a key anyone could read. Now
the first process that needs a key writes a fresh one (mode 0600) and every later process, and
every worker started beside it, reads the same file: the quick start still needs no setting,
and sessions survive restarts. Pure: no Django, so settings can import it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

# The key the source used to carry, and Django's marker of generated development keys.
PUBLIC_KEYS = {"kefu-insecure-development-key-change-me"}
INSECURE_PREFIX = "django-insecure-"
MIN_LENGTH = 32


def key_problem(key: str) -> str | None:
    """Why ``key`` must not sign anything in production (``"public"`` or ``"short"``), or
    ``None`` when it may."""
    if key in PUBLIC_KEYS or key.startswith(INSECURE_PREFIX):
        return "public"
    if len(key) < MIN_LENGTH:
        return "short"
    return None


def _write_new_key(path: Path) -> None:
    """Write a fresh key unless another process got there first: the key is written to a
    temporary file and linked into place, so no reader ever sees a half-written key."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        os.write(fd, (secrets.token_urlsafe(48) + "\n").encode())
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass  # another process wrote its key first; that one is the key
    finally:
        tmp.unlink()


def stored_secret_key(path: Path) -> str:
    """The key kept at ``path``, made on first use."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_new_key(path)
    return path.read_text().strip()
