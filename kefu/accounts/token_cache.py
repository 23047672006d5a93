"""Reads of bearer tokens, kept per process for a second.

Every API call looks its token up by digest, with the user and their profiles (agent,
sub-account and organisation): on a busy integration (an ERP posting tickets, the mail relay)
that read is the same thousands of times a minute. It is kept ``TTL`` seconds per process, so a
token revoked, a user deactivated or a scope changed elsewhere — another process, another
host — is honoured within a second everywhere (issue #18); in the process that made the change,
at once (a save of those models, or ``actions.revoke_api_token``, forgets every entry). Each
caller gets its own copy of the cached rows: requests run on several threads and may set
attributes on their user. Under tests (``settings.TESTING``) every read goes to the database,
as ``lib.process_cache`` does, so no test depends on what an earlier one cached.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from kefu.accounts.models import Account, Agent, ApiToken, Organization, User

TTL = 1.0
MAX_ENTRIES = 10_000  # then every entry is dropped: random tokens cannot grow it without bound
_entries: dict[str, tuple[float, ApiToken | None]] = {}


def read(digest: str, load: Callable[[], ApiToken | None]) -> ApiToken | None:
    """The token of ``digest`` (None: none live), from ``load`` at most once per ``TTL``."""
    if settings.TESTING:
        return load()
    now = time.monotonic()
    entry = _entries.get(digest)
    if entry is None or now - entry[0] > TTL:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        entry = _entries[digest] = (now, load())
    return copy.deepcopy(entry[1])


def used(digest: str, when: datetime) -> None:
    """The cached read's ``last_used_at`` follows the write, so it is written once a minute."""
    entry = _entries.get(digest)
    if entry is not None and entry[1] is not None:
        entry[1].last_used_at = when


def forget(**_signal: Any) -> None:
    _entries.clear()


for _model in (ApiToken, User, Account, Agent, Organization):
    for _signal in (post_save, post_delete):
        _signal.connect(forget, sender=_model, dispatch_uid=f"token-cache:{_model.__name__}")
