"""``/readyz``: 200 when the database answers with every migration applied, Redis answers (when
configured) and the object storage answers (when S3); otherwise 503 with a JSON body naming
what failed, so a load balancer takes the node out of rotation instead of sending it requests.
``/healthz`` stays a liveness check."""

from __future__ import annotations

import os

import httpx
import pytest
from django.test import Client

from kefu.testing import RunningServer, S3Server, free_port


@pytest.mark.django_db
def test_a_node_with_its_database_migrated_is_ready():
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok", "failed": [], "database": "ok", "migrations": "ok"
    }  # fmt: skip


@pytest.mark.django_db
def test_redis_that_does_not_answer_makes_the_node_unready(settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["redis"]
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_object_storage_is_checked_when_it_is_s3(settings):
    with S3Server() as s3:
        settings.STORAGES = s3.storages()
        answered = Client().get("/readyz")
    gone = Client().get("/readyz")  # the same settings, the server stopped
    assert answered.status_code == 200 and answered.json()["storage"] == "ok"
    assert gone.status_code == 503 and gone.json()["failed"] == ["storage"]


def test_a_database_without_the_migrations_is_not_ready(tmp_path):
    """A node started against a database that the deploy has not migrated yet."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "KEFU_TEST_DATABASE_URL")
    }
    env.update(
        KEFU_DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}", KEFU_DATA_DIR=str(tmp_path)
    )
    with RunningServer(env) as node:
        response = httpx.get(node.url + "/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["migrations"]
    assert response.json()["database"] == "ok"
