"""Whether this node can serve traffic now (``/readyz``), as a load balancer or orchestrator asks
before sending it requests: the database answers and carries every migration this code expects,
Redis answers when one is configured, and the object storage answers when it is S3.

``/healthz`` only says the process is alive; a node that is alive but not ready (a deploy whose
migrations have not run yet, Redis gone) is taken out of rotation instead of answering errors.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import redis
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

log = logging.getLogger("kefu.readiness")
TIMEOUT_SECONDS = 2.0
# Migrations once applied stay applied: a node that saw its plan empty need not build it again.
_migrated: dict[str, bool] = {}


def check_database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")


def check_migrations() -> None:
    if _migrated.get(DEFAULT_DB_ALIAS):
        return
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("unapplied migrations")
    _migrated[DEFAULT_DB_ALIAS] = True


def check_redis() -> None:
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_timeout=TIMEOUT_SECONDS,
        socket_connect_timeout=TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    finally:
        client.close()


def check_storage() -> None:
    """A HEAD of an object that need not exist: answered (found or not) means reachable."""
    default_storage.exists(".kefu-readyz")


def checks() -> dict[str, Callable[[], None]]:
    """The checks that apply to this node's configuration, by name."""
    found: dict[str, Callable[[], None]] = {
        "database": check_database,
        "migrations": check_migrations,
    }
    if settings.REDIS_URL:
        found["redis"] = check_redis
    if not isinstance(default_storage, FileSystemStorage):
        found["storage"] = check_storage
    return found


def failures() -> dict[str, str]:
    """Each failed check's name and why (the error's type, never its text: no secrets out)."""
    failed: dict[str, str] = {}
    for name, check in checks().items():
        try:
            check()
        except Exception as error:
            log.warning("not ready: %s: %s", name, error)
            failed[name] = type(error).__name__
    return failed
