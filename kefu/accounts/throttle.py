"""Throttling of password sign-in: failures counted per account and per client address.

django-axes does the bookkeeping in its ``AccessAttempt`` table, so every server process sees the
same counts. Two things here differ from axes' defaults:

- each lockout parameter has its own limit: an account locks after ``AXES_FAILURE_LIMIT``
  failures, a client address after the higher ``KEFU_LOGIN_ADDRESS_FAILURE_LIMIT`` (an office
  behind one address must not lock out everyone when one person forgets a password);
- a successful sign-in clears only the failures of the account that signed in. Axes' own reset
  deletes every row matching any parameter, so signing in to one's own account from an address
  would wipe the counts of the accounts just guessed at from it.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def attempted_email(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The address a sign-in tried, normalised as sign-in matches it (case and spaces)."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = getattr(request, "POST", {}).get("username")
    if username is None:
        return None
    return str(username).strip().lower() or None


def _limit_of(parameter: str | list[str], account_limit: int) -> int:
    if parameter == "username":
        return account_limit
    return int(settings.KEFU_LOGIN_ADDRESS_FAILURE_LIMIT)


class KefuAxesHandler(AxesDatabaseHandler):
    """Axes' database handler with one limit per lockout parameter."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """Failures in units of the account limit, so axes' single comparison with that limit
        locks when any parameter reaches its own limit: ``n * a // b >= a`` iff ``n >= b``."""
        account_limit = get_failure_limit(request, credentials)
        parameters = settings.AXES_LOCKOUT_PARAMETERS
        scaled = [0]
        for parameter, attempts in zip(
            parameters, self.get_user_attempts(request, credentials), strict=True
        ):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            scaled.append(failures * account_limit // _limit_of(parameter, account_limit))
        return max(scaled)

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return int(count)


def lockout_minutes(request: HttpRequest | None = None) -> int:
    cool_off = get_cool_off(request)
    return max(1, int(cool_off.total_seconds() // 60)) if cool_off else 0


def lockout_response(
    request: HttpRequest, response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """The page shown instead of the sign-in result while locked, in the request's language
    (429: a client or proxy that reads only the status understands it too)."""
    return render(
        request,
        "accounts/locked.html",
        {"minutes": lockout_minutes(request), "admin": request.path.startswith("/admin/")},
        status=429,
    )
