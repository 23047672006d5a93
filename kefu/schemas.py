"""API shapes every router shares: the error body, and the error statuses the OpenAPI schema
declares for each operation.

Operations declare the errors of their own rules (403, 404 without a path parameter, 409) in
``response=`` with ``errors(...)``. The errors of the edge are the same for every operation and
are added here when the schema is built, so no operation can forget one: 422 (any parameter, and
the input guard's NUL and UTF-8 checks of path and query), 401 where authentication is
required, 404 where the path names an object, 400 and 413 where there is a body.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema
from ninja.openapi.schema import OpenAPISchema


class ErrorItem(Schema):
    """One problem: its field path (``["body", "subject"]``) and a message naming the rule."""

    msg: str
    field: str | None = None
    loc: list[str | int] | None = None
    type: str | None = None


class ErrorOut(Schema):
    """Every error: ``detail`` is a message, or a list of problems for invalid input."""

    detail: str | list[ErrorItem]
    code: str


DESCRIPTIONS = {
    400: "The body is not valid JSON",
    401: "Authentication required (`WWW-Authenticate: Bearer`)",
    403: "Not allowed for this caller",
    404: "Not found, or not visible to this caller",
    409: "Not possible in the object's present state",
    413: "The body is over the size limit",
    422: "Invalid input: each problem with its field path and a message",
    429: "Too many requests from this client or for this address; see `Retry-After`",
    503: "The message could not be processed now; it is kept in quarantine",
}


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """``response=`` entries for an operation's own error statuses."""
    return dict.fromkeys(statuses, ErrorOut)


def _error_response(status: int) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS[status],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
    }


def _edge_statuses(operation: dict[str, Any]) -> list[int]:
    statuses = [422]
    if operation.get("security"):
        statuses.append(401)
    if any(p.get("in") == "path" for p in operation.get("parameters", [])):
        statuses.append(404)
    if "requestBody" in operation:
        statuses += [400, 413]
    return statuses


def add_error_responses(schema: OpenAPISchema) -> None:
    """Declare the edge's error statuses on every operation, with the error body's schema."""
    definitions = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(definitions.pop("$defs", {}))
    components["ErrorOut"] = definitions
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            responses = operation.setdefault("responses", {})
            for status in _edge_statuses(operation):
                responses.setdefault(status, _error_response(status))
            operation["responses"] = dict(sorted(responses.items(), key=lambda kv: int(kv[0])))
