"""Rate limits for the surfaces anyone may reach without signing in (leave-a-message, opening
a chat, chat messages; next the contact form and the ticket-status lookup).

A named limit allows ``count`` hits per ``seconds`` for one key (a client address, a claimed
email). Each hit is a fixed-window counter in Django's cache, ``rl:<name>:<window>:<digest>``,
raised with ``cache.add`` then ``cache.incr`` (Redis SET NX and INCR; a locked update in local
memory): one or two cache round trips, atomic, never a table scan, gone with its window.

Django's default cache holds the counters: Redis when KEFU_REDIS_URL is set, so all server
processes count together; local memory otherwise, per process (with N processes a client gets
up to N times the limit). Limits are settings (``KEFU_RATE_LIMITS``), overridable one by one
from the environment as ``name=count/seconds`` pairs.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.functional import lazy
from django.utils.translation import gettext

from kefu.errors import KefuError

log = logging.getLogger("kefu.ratelimit")


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


def limit(name: str) -> Limit:
    count, _slash, seconds = settings.KEFU_RATE_LIMITS[name].partition("/")
    return Limit(int(count), int(seconds))


def _message(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    if seconds < 120:
        return gettext("Too many requests. Please try again in %(seconds)s seconds.") % {
            "seconds": seconds
        }
    return gettext("Too many requests. Please try again in %(minutes)s minutes.") % {
        "minutes": minutes
    }


class RateLimited(KefuError):
    """Over a limit: HTTP 429 with ``Retry-After``; an error frame on a socket."""

    status = 429
    code = "rate_limited"

    def __init__(self, retry_after: int, *, field: str | None = None) -> None:
        # Lazy, so each caller reads the message in its own language.
        super().__init__(lazy(_message, str)(retry_after), field=field)
        self.retry_after = retry_after

    def as_dict(self) -> dict[str, object]:
        return {**super().as_dict(), "retry_after": self.retry_after}


def _digest(key: str) -> str:
    return hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]


def hit(name: str, key: str, *, field: str | None = None) -> None:
    """Count one request of ``key`` against limit ``name``; RateLimited once over it.

    An empty key (no address known, no email given) is not limited by this name."""
    if not key:
        return
    rule = limit(name)
    now = time.time()
    window = int(now // rule.seconds)
    left = rule.seconds - int(now - window * rule.seconds)
    count = _count(f"rl:{name}:{window}:{_digest(key)}", left)
    if count > rule.count:
        raise RateLimited(left, field=field)


def _count(counter: str, left: int) -> int:
    """Add one to ``counter`` (kept ``left`` seconds more); 0 when the cache is down: a limit
    that cannot be counted lets the request through rather than failing it."""
    try:
        cache.add(counter, 0, timeout=left + 1)
        try:
            return int(cache.incr(counter))
        except ValueError:  # expired between add and incr: a new window has begun
            cache.add(counter, 1, timeout=left + 1)
            return 1
    except Exception as error:  # Redis unreachable: log, do not refuse everyone
        log.warning("rate limit %s not counted: %s", counter, error)
        return 0


def guard(surface: str, *, address: str, email: str = "") -> None:
    """One request to ``surface`` from the client ``address``, claiming ``email``: both are
    limited (``<surface>.ip`` and ``<surface>.email``), so neither many addresses nor many
    claimed emails get around it."""
    hit(f"{surface}.ip", address)
    hit(f"{surface}.email", email, field="email")
