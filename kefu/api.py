"""The REST API under ``/api/v1/``: authentication, error format, and the routers of each app.

Errors are JSON ``{"detail": ..., "code": ...}``; validation errors list each problem with its
field path and a message in the caller's language (``Accept-Language``, default English).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, django_auth

from kefu.accounts.actions import touch_api_token
from kefu.accounts.models import ApiToken
from kefu.accounts.queries import live_token
from kefu.errors import KefuError
from kefu.validation import localize_errors


class BearerAuth(HttpBearer):
    """``Authorization: Bearer <token>``; tokens are looked up by their SHA-256 digest."""

    def __init__(self, purposes: tuple[str, ...] = (ApiToken.Purpose.USER,)) -> None:
        super().__init__()
        self.purposes = purposes

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = live_token(token, purposes=self.purposes)
        if api_token is None:
            return None
        touch_api_token(token=api_token)
        request.user = api_token.user
        return api_token.user


api = NinjaAPI(
    title="Kefu API",
    version="1",
    description="Tickets, messages, attachments and events of the Kefu support centre.",
    # Browser sessions (portal, workspace) must send the CSRF token on unsafe methods.
    auth=[BearerAuth(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(KefuError)
def on_kefu_error(request: HttpRequest, exc: KefuError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    body = {"detail": localize_errors(exc.errors), "code": "validation_error"}
    return api.create_response(request, body, status=422)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("Not found."), "code": "not_found"}, status=404
    )


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = {"detail": _("Authentication required."), "code": "unauthenticated"}
    return api.create_response(request, body, status=401)


def _mount_routers() -> None:
    from kefu.intake.api import router as intake_router
    from kefu.tickets.api import router as tickets_router

    api.add_router("/tickets", tickets_router)
    api.add_router("/tickets", "kefu.sla.api.router")
    api.add_router("", "kefu.escalation.api.router")
    api.add_router("/kb", "kefu.knowledge.api.router")
    api.add_router("", intake_router)
    api.add_router("", "kefu.delivery.api.router")
    api.add_router("", "kefu.notifications.api.router")
    api.add_router("", "kefu.webhooks.api.router")
    api.add_router("/reports", "kefu.reports.api.router")
    api.add_router("", "kefu.audit.api.router")
    api.add_router("", "kefu.archive.api.router")


_mount_routers()
