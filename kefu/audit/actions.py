"""The only writer of the audit log: ``record`` appends one entry.

Who and from where default to the request being served (``context``, set by the middleware),
so actions deep in the code (token creation, an export) need not be handed the request.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from kefu.audit.models import AuditEntry, Kind

_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "kefu_audit_request", default=None
)


class AuditContextMiddleware:
    """Keeps the request at hand for ``record`` (who is signed in, from which address)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def label_of(user: Any) -> str:
    """How the log names a person: the agent id, else ``user <id>`` (never an address)."""
    if user is None or not getattr(user, "pk", None):
        return "system"
    agent = getattr(user, "agent", None) if hasattr(user, "agent") else None
    return agent.code if agent is not None else f"user {user.pk}"


def _request_user(request: HttpRequest | None) -> Any:
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and user.is_authenticated else None


def record(
    kind: Kind,
    *,
    actor: Any = None,
    target: str = "",
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEntry:
    """Append one entry. ``actor``: a User (default: the request's signed-in user)."""
    request = request or _request.get()
    actor = actor if actor is not None else _request_user(request)
    return AuditEntry.objects.create(
        kind=kind,
        actor_id=actor.pk if actor is not None else None,
        actor_label=label_of(actor),
        target=target[:200],
        detail=detail or {},
        address=client_address(request),
    )
