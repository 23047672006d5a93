"""Fixtures for the whole suite; the personas themselves live in ``kefu.testing``."""

from collections.abc import Iterator

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test import override_settings
from pytest_django import DjangoDbBlocker

from kefu.testing import FakeDns, Personas, make_personas, publish_mail_domain


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """pytest-django's, and at the end: the threads of this process that served requests (the
    HTTP pool, channels' database threads) keep their persistent connections, and PostgreSQL
    refuses to drop a database still in use. The test database is this process's own
    (``test_kefu_<pid>``): its other sessions are ended before it is dropped."""
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session", autouse=True)
def _mail_dns() -> Iterator[FakeDns]:
    """Mail authentication asks this server, never a real resolver: records are the tests'.
    The personas' organisations sign their mail (``kefu.testing.authenticated``)."""
    server = FakeDns()
    for domain in ("acme.test", "orbit.test"):
        publish_mail_domain(server, domain)
    server.keep()
    with override_settings(KEFU_MAIL_DNS_SERVERS=[server.address], KEFU_MAIL_DNS_TIMEOUT=2.0):
        yield server


@pytest.fixture
def mail_dns(_mail_dns: FakeDns) -> Iterator[FakeDns]:
    """The fake DNS server, emptied after the test."""
    yield _mail_dns
    _mail_dns.clear()


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Rate-limit counters live in the cache; each test starts with none. Only a cache of this
    process is emptied: a Redis database may be shared with other runs."""
    if isinstance(caches["default"], LocMemCache):
        cache.clear()
