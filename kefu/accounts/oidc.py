"""Single sign-on for staff with OpenID Connect (mozilla-django-oidc), off unless configured.

Endpoints come from KEFU_OIDC_* explicitly or from the issuer's discovery document, fetched when
first needed (not at start-up: a provider that is down must not stop Kefu) and kept an hour.
Only existing, active staff accounts are matched, by a verified email and ignoring case; nobody
is created. The ID token must name this client and the configured issuer, on top of the
library's signature, expiry and nonce checks. A refusal says why on the sign-in page.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from kefu.accounts.models import User

log = logging.getLogger("kefu.sso")
ENDPOINTS = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")
DISCOVERY_TTL = 3600
_discovered: dict[str, tuple[float, dict[str, Any]]] = {}

REFUSALS = {
    "unknown": _("No staff account uses this email address. Ask an administrator to add you."),
    "customer": _(
        "Single sign-on is for support staff. Customers sign in with email and password."
    ),
    "unverified": _("Your identity provider has not verified this email address."),
    "failed": _("Single sign-on did not complete. Please try again or sign in with your password."),
    "unreachable": _("The single sign-on provider cannot be reached. Please try again later."),
}


def is_configured() -> bool:
    explicit = settings.KEFU_OIDC_ENDPOINTS
    return bool(
        settings.OIDC_RP_CLIENT_ID
        and (settings.KEFU_OIDC_ISSUER or all(explicit[key] for key in ENDPOINTS))
    )


def _discovery(issuer: str) -> dict[str, Any]:
    fetched = _discovered.get(issuer)
    if fetched and fetched[0] > time.monotonic():
        return fetched[1]
    url = f"{issuer}/.well-known/openid-configuration"
    response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    document = response.json()
    if document.get("issuer", "").rstrip("/") != issuer:
        raise ValueError(f"discovery document of {issuer} names another issuer")
    _discovered[issuer] = (time.monotonic() + DISCOVERY_TTL, document)
    return dict(document)


def endpoints() -> dict[str, str]:
    explicit: dict[str, str] = settings.KEFU_OIDC_ENDPOINTS
    if all(explicit[key] for key in ENDPOINTS):
        return dict(explicit)
    document = _discovery(settings.KEFU_OIDC_ISSUER)
    return {key: explicit[key] or str(document[key]) for key in ENDPOINTS}


def _refuse(request: HttpRequest, reason: str) -> None:
    request.kefu_sso_refusal = reason  # type: ignore[attr-defined]  # read by the callback view


class StaffOIDCBackend(OIDCAuthenticationBackend):
    """The library's backend, configured per call and limited to existing staff accounts."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Not the library's __init__: it reads endpoint settings that exist only once SSO is
        # configured, and this backend is instantiated for every password sign-in too.
        self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        # Only the callback view passes a nonce; a password sign-in never reaches the provider.
        if request is None or "nonce" not in kwargs or "password" in kwargs:
            return None
        if not is_configured():
            return None
        urls = endpoints()
        self.OIDC_OP_TOKEN_ENDPOINT = urls["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = urls["userinfo_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = urls["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        user: User | None = super().authenticate(request, **kwargs)
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token issued to another client")
        issuer = settings.KEFU_OIDC_ISSUER
        if issuer and str(payload.get("iss", "")).rstrip("/") != issuer:
            raise SuspiciousOperation("ID token from another issuer")
        return payload

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        verified = claims.get("email_verified") in (True, "true")
        if not claims.get("email") or not verified:
            _refuse(self.request, "unverified")
            return False
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        from kefu.accounts.signin import is_staff_user

        users = User.objects.filter(email__iexact=str(claims["email"]).strip(), is_active=True)
        user = users.first()
        if user is None:
            _refuse(self.request, "unknown")
        elif not is_staff_user(user):
            _refuse(self.request, "customer")
            return User.objects.none()
        return users


class SSOStartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (with state, nonce and PKCE, by the library)."""

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)  # endpoints are resolved per request, below

    def get(self, request: HttpRequest) -> HttpResponse:
        if not is_configured():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = endpoints()["authorization_endpoint"]
        except (requests.RequestException, ValueError, KeyError) as exc:
            log.warning("SSO provider unreachable: %s", exc)
            messages.error(request, REFUSALS["unreachable"])
            return redirect("login")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        response: HttpResponse = super().get(request)
        return response


class SSOCallbackView(OIDCAuthenticationCallbackView):
    """The provider's redirect back: Kefu's own sign-in (with its second step) or a reason."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not is_configured():
            raise Http404
        try:
            response: HttpResponse = super().get(request)
        except (SuspiciousOperation, requests.RequestException, jwt.PyJWTError, ValueError) as exc:
            log.warning("SSO sign-in failed: %s", exc)
            return self.login_failure()
        return response

    def login_success(self) -> HttpResponse:
        from kefu.accounts.signin import begin_sign_in

        return begin_sign_in(self.request, self.user, self.success_url)

    def login_failure(self) -> HttpResponse:
        reason = getattr(self.request, "kefu_sso_refusal", "failed")
        messages.error(self.request, REFUSALS[reason])
        return redirect("login")
