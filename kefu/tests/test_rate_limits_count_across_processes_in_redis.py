"""With Redis as the cache (KEFU_REDIS_URL), every server process counts against the same
limit: two separate cache connections, as two processes would have, share one counter."""

import os
import uuid

import pytest
from django.core.cache import caches

from kefu import ratelimit

REDIS_URL = os.environ.get("KEFU_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(not _redis_answers(), reason="no Redis at KEFU_TEST_REDIS_URL")


def test_two_connections_share_one_counter(settings):
    # A prefix of its own: the Redis database may be shared, so nothing here flushes it.
    prefix = f"kefu-test-{uuid.uuid4().hex}"
    redis_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                   "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}  # fmt: skip
    settings.CACHES = {"default": redis_cache, "other": redis_cache}
    settings.KEFU_RATE_LIMITS = {"contact_form.ip": "3/60"}
    ratelimit.hit("contact_form.ip", "192.0.2.1")
    ratelimit.hit("contact_form.ip", "192.0.2.1")
    client = caches["other"]._cache.get_client()
    counters = client.keys(f"{prefix}:*")
    assert len(counters) == 1, "one INCR counter, not a row per request"
    ratelimit.hit("contact_form.ip", "192.0.2.1")
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.hit("contact_form.ip", "192.0.2.1")
    assert 0 < refused.value.retry_after <= 60 and refused.value.status == 429
    ratelimit.hit("contact_form.ip", "192.0.2.2")  # another client is not affected
    client.delete(*client.keys(f"{prefix}:*"))


def test_an_unknown_key_is_not_limited(settings):
    settings.KEFU_RATE_LIMITS = {"contact_form.ip": "1/60"}
    for _ in range(3):
        ratelimit.hit("contact_form.ip", "")
