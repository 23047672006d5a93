"""The REST API under ``/api/v1/``: authentication, error format, and the routers of each app.

Errors are JSON ``{"detail": ..., "code": ...}``; validation errors list each problem with its
field path and a message in the caller's language (``Accept-Language``, default English). The
OpenAPI schema declares every status an operation can answer (``kefu.schemas``).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.types import DictStrAny
from ninja.utils import check_csrf

from kefu.accounts.actions import touch_api_token
from kefu.accounts.models import ApiToken
from kefu.accounts.queries import live_token
from kefu.errors import Forbidden, KefuError
from kefu.schemas import add_error_responses
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


class CsrfFailed(Forbidden):
    code = "csrf_failed"


class SessionAuth(NinjaSessionAuth):
    """A browser session (portal, workspace); unsafe methods must carry its CSRF token. Without
    a session there is nothing to forge, so an anonymous caller is told to authenticate (401)
    rather than that a CSRF check failed (403)."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if not exempt and check_csrf(request) is not None:
            raise CsrfFailed(
                _("CSRF check failed: send the csrftoken cookie's value as X-CSRFToken.")
            )
        return request.COOKIES.get(self.param_name)


class KefuParser(Parser):
    """JSON bodies, parsed once: ``kefu.input_guard`` has parsed (and checked) them already."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        parsed = getattr(request, "_kefu_json", None)
        return parsed if parsed is not None else super().parse_body(request)


class KefuAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: DictStrAny | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        add_error_responses(schema)
        return schema


api = KefuAPI(
    title="Kefu API",
    version="1",
    description="Tickets, messages, attachments and events of the Kefu support centre.",
    auth=[BearerAuth(), SessionAuth()],
    parser=KefuParser(),
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
    response = api.create_response(request, body, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="kefu"'
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja's own errors in our shape; the only 400 it raises is for a body it cannot parse."""
    if exc.status_code == 400:
        body = {"detail": _("The request body is not valid JSON."), "code": "bad_request"}
    else:
        body = {"detail": str(exc), "code": f"http_{exc.status_code}"}
    return api.create_response(request, body, status=exc.status_code)


def _mount_routers() -> None:
    from kefu.intake.api import router as intake_router
    from kefu.tickets.api import router as tickets_router
    from kefu.tickets.api import views_router

    api.add_router("/tickets", tickets_router)
    api.add_router("/views", views_router)
    api.add_router("/tickets", "kefu.sla.api.router")
    api.add_router("", "kefu.escalation.api.router")
    api.add_router("", "kefu.ratings.api.router")
    api.add_router("/kb", "kefu.knowledge.api.router")
    api.add_router("", intake_router)
    api.add_router("", "kefu.delivery.api.router")
    api.add_router("", "kefu.notifications.api.router")
    api.add_router("", "kefu.webhooks.api.router")
    api.add_router("/reports", "kefu.reports.api.router")
    api.add_router("", "kefu.audit.api.router")
    api.add_router("", "kefu.archive.api.router")
    api.add_router("", "kefu.contacts.api.router")
    api.add_router("", "kefu.appointments.api.router")
    api.add_router("", "kefu.visitors.api.router")


_mount_routers()
