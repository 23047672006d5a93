"""The API holds against generated input: a bounded schemathesis run over every operation of
the OpenAPI schema, each request sent anonymously, with a buyer's token and with an agent's,
ends with no server error and every response as the schema declares it (status, content type,
body).

Bounded so it stays under a minute and a half on two cores: a fixed number of generated examples
per operation (valid and invalid data) besides schemathesis's deterministic coverage cases
(boundaries, nulls, wrong types, unsupported methods), derandomized, without an example
database. It runs against the real Django application in-process (WSGI: the same middleware,
URLs and database as a server), on SQLite; half the generated ticket numbers are replaced by a
real ticket's, so the operations on one ticket are reached, not only their 404s.

A summary (requests per operation and status) is written to test-artifacts/api-fuzz.txt.
"""

from __future__ import annotations

import time
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kefu.accounts.actions import create_api_token
from kefu.testing import make_ticket

EXAMPLES = 20
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SUMMARY = Path(__file__).resolve().parents[2] / "test-artifacts" / "api-fuzz.txt"

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the bounded fuzz run is SQLite's; PostgreSQL runs the targeted input tests",
)

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
REAL_TICKET: dict[str, str] = {}
RESPONSES: Counter[tuple[str, int]] = Counter()


@schema.hook("map_path_parameters")
def some_real_tickets(context: Any, parameters: dict[str, Any] | None) -> dict[str, Any] | None:
    number = (parameters or {}).get("number")
    # Deterministic (no hash seed): the same generated value always gets the same fate.
    if (
        isinstance(number, str)
        and REAL_TICKET
        and zlib.crc32(number.encode("utf-8", "surrogatepass")) % 2
    ):
        parameters = {**(parameters or {}), "number": REAL_TICKET["number"]}
    return parameters


@schema.hook("after_call")
def count_response(context: Any, case: Any, response: Any) -> None:
    RESPONSES[(case.operation.label, response.status_code)] += 1


@pytest.fixture(scope="module", autouse=True)
def summary() -> Iterator[None]:
    started = time.monotonic()
    yield
    lines = [f"{label} → {status}: {n}" for (label, status), n in sorted(RESPONSES.items())]
    total = sum(RESPONSES.values())
    lines.append(f"{total} requests in {time.monotonic() - started:.1f} s")
    SUMMARY.parent.mkdir(exist_ok=True)
    SUMMARY.write_text("\n".join(lines) + "\n")


@pytest.fixture
def callers(personas: Any) -> Iterator[list[dict[str, str]]]:
    """Anonymous, the buyer Anna, the agent Alice; the request thread is the test's, so Django
    must not close the test's connection at the end of each request."""
    REAL_TICKET["number"] = make_ticket(personas.anna).number
    tokens = [create_api_token(user=user, name="fuzz") for user in (personas.anna, personas.alice)]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield [{}, *({"Authorization": f"Bearer {token}"} for token in tokens)]
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
    REAL_TICKET.clear()


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_every_response_as_declared(case: Any, callers: Any) -> None:
    for headers in callers:
        case.call_and_validate(headers=headers, checks=CHECKS)
