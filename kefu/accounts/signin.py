"""Sign-in: the password step, and a second step for staff who turned on two-factor.

A staff member with an authenticator is not signed in after the password: only their id waits in
the session, for five minutes, until the second step accepts a code; no view ever sees a
half-signed-in user. Single sign-on (oidc.py) ends in the same second step, so an account's
authenticator is asked for however the first step was passed. Failed codes count towards the
account's lockout like failed passwords (throttle.py).
"""

from __future__ import annotations

import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.models import Device

from kefu.accounts import actions, oidc
from kefu.accounts.forms import SecondFactorForm
from kefu.accounts.models import User
from kefu.accounts.throttle import lockout_response

PENDING_KEY = "kefu_signin_pending"
PENDING_SECONDS = 300


def is_staff_user(user: User) -> bool:
    """Agents, leads, QA and admins: the people two-factor and single sign-on are for."""
    return bool(user.is_staff or user.is_superuser or hasattr(user, "agent"))


def begin_sign_in(request: HttpRequest, user: User, redirect_to: str) -> HttpResponse:
    """After a first factor (password or SSO): sign in, or ask for the second factor first."""
    if is_staff_user(user) and user_has_device(user):
        request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,  # type: ignore[attr-defined]  # set by authenticate()
            "next": redirect_to,
            "until": time.time() + PENDING_SECONDS,
        }
        return redirect("signin_code")
    return complete_sign_in(request, user, redirect_to, user.backend)  # type: ignore[attr-defined]


def complete_sign_in(
    request: HttpRequest, user: User, redirect_to: str, backend: str, device: Device | None = None
) -> HttpResponse:
    auth_login(request, user, backend=backend)
    if device is not None:
        otp_login(request, device)  # remembered in the session: see twofactor.py
    response = HttpResponseRedirect(redirect_to)
    # The interface switches to the language the user chose for themselves.
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
    return response


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        return begin_sign_in(self.request, form.get_user(), self.get_success_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "sso": oidc.is_configured()}


@never_cache
def admin_login(request: HttpRequest) -> HttpResponseBase:
    """The admin's own sign-in page, with Kefu's two steps (Django's would skip the second)."""
    site = admin.site
    if request.method == "GET" and site.has_permission(request):
        return redirect("admin:index")
    context = {
        **site.each_context(request),
        "title": _("Log in"),
        "subtitle": None,
        "app_path": request.get_full_path(),
        "username": request.user.get_username(),
    }
    if "next" not in request.GET and "next" not in request.POST:
        context["next"] = reverse("admin:index")
    request.current_app = site.name
    return SignInView.as_view(
        extra_context=context,
        authentication_form=AdminAuthenticationForm,
        template_name="admin/login.html",
        redirect_authenticated_user=False,
    )(request)


def _pending(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(PENDING_KEY)
    if not pending or pending["until"] < time.time():
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return (user, pending) if user is not None else None


def _wait_message(seconds: int) -> str:
    return ngettext(
        "Too many wrong codes. Wait %(seconds)s second and try again.",
        "Too many wrong codes. Wait %(seconds)s seconds and try again.",
        seconds,
    ) % {"seconds": seconds}


def _verify(request: HttpRequest, user: User, code: str) -> Device | str:
    """The device that accepted the code, or why it was not accepted. Wrong codes count towards
    the account's lockout; a code tried too soon after one is only asked to wait."""
    wait = actions.code_wait_seconds(user=user, token=code)
    if wait:
        return _wait_message(wait)
    device = actions.verify_second_factor(user=user, token=code)
    if device is None:
        credentials = {"username": user.email}
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        return _("This code is not correct, or it has already been used.")
    return device


@never_cache
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    found = _pending(request)
    if found is None:
        request.session.pop(PENDING_KEY, None)
        messages.error(request, _("Your sign-in took too long. Please sign in again."))
        return redirect("login")
    user, pending = found
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        credentials = {"username": user.email}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return lockout_response(request, None, credentials)
        result = _verify(request, user, form.cleaned_data["code"])
        if isinstance(result, str):
            form.add_error("code", result)
        else:
            del request.session[PENDING_KEY]
            return complete_sign_in(request, user, pending["next"], pending["backend"], result)
    return render(request, "accounts/second_factor.html", {"form": form})
