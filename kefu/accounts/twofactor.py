"""Two-factor authentication for staff: enrolment, recovery codes, and the admins' obligation.

An authenticator app (TOTP, django-otp) is enrolled from a QR code drawn server-side as inline
SVG (no image service learns the secret), confirmed with a first code, and followed by ten
one-time recovery codes shown once. With KEFU_REQUIRE_2FA_FOR_ADMINS an admin whose session was
not verified with a code cannot use the desk or the admin until they enrol.
"""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Callable
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kefu.accounts import actions
from kefu.accounts.forms import EnrolForm
from kefu.accounts.models import Agent, User
from kefu.accounts.signin import is_staff_user

CODES_KEY = "kefu_recovery_codes"  # the fresh codes, until the page that shows them once
PROTECTED_PATHS = ("/desk/", "/admin/")


def _staff(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not is_staff_user(user):
        raise Http404  # customers do not use two-factor
    return user


def qr_svg(text: str) -> str:
    """A QR code as inline SVG markup (segno writes only the path; nothing from the user)."""
    svg = segno.make(text, error="m").svg_inline(scale=5, border=2, title="QR")
    return mark_safe(svg)


def _show_codes(request: HttpRequest, codes: list[str]) -> HttpResponse:
    request.session[CODES_KEY] = codes
    return redirect("account_recovery_codes")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def security(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator, or (once enrolled) see the state and renew recovery codes."""
    user = _staff(request)
    if user_has_device(user):
        return _enrolled(request, user)
    device = actions.start_totp_enrolment(user=user)
    form = EnrolForm(request.POST or None)
    if form.is_valid():
        if actions.confirm_totp_device(device=device, token=form.cleaned_data["code"]):
            otp_login(request, device)  # this session has just shown a code
            return _show_codes(request, actions.replace_recovery_codes(user=user))
        form.add_error("code", _("This code is not correct. Check the time on your phone."))
    key = b32encode(device.bin_key).decode()
    secret = " ".join(key[i : i + 4] for i in range(0, len(key), 4))  # easier to type
    context = {"form": form, "qr": qr_svg(device.config_url), "secret": secret}
    return render(request, "accounts/security_enrol.html", context)


def _enrolled(request: HttpRequest, user: User) -> HttpResponse:
    form = EnrolForm(request.POST or None)  # renewing codes takes the app's code, not a code
    if form.is_valid():
        if isinstance(
            actions.verify_second_factor(user=user, token=form.cleaned_data["code"]), TOTPDevice
        ):
            return _show_codes(request, actions.replace_recovery_codes(user=user))
        form.add_error("code", _("Enter the current 6-digit code from your authenticator app."))
    left = StaticToken.objects.filter(device__user=user).count()
    return render(request, "accounts/security.html", {"form": form, "codes_left": left})


@never_cache
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    _staff(request)
    codes = request.session.pop(CODES_KEY, None)
    if not codes:
        return redirect("account_security")
    shown = ["-".join(code[i : i + 4] for i in range(0, len(code), 4)) for code in codes]
    return render(request, "accounts/recovery_codes.html", {"codes": shown})


def _is_admin(user: User) -> bool:
    agent = getattr(user, "agent", None)
    return bool(user.is_staff or user.is_superuser or (agent and agent.role == Agent.Role.ADMIN))


def _session_verified(request: HttpRequest, user: User) -> bool:
    device = Device.from_persistent_id(request.session.get(DEVICE_ID_SESSION_KEY) or "")
    return bool(device is not None and device.user_id == user.pk and device.confirmed)


class RequireTwoFactorMiddleware:
    """KEFU_REQUIRE_2FA_FOR_ADMINS: an admin reaches the desk and the admin only with a session
    verified by a code; without an authenticator they are sent to enrol one first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.KEFU_REQUIRE_2FA_FOR_ADMINS
            and request.path.startswith(PROTECTED_PATHS)
            and not request.path.startswith(("/admin/login/", "/admin/logout/"))
            and isinstance(user, User)
            and _is_admin(user)
            and not _session_verified(request, user)
        ):
            return _send_to_second_factor(request, user)
        return self.get_response(request)


def _send_to_second_factor(request: HttpRequest, user: User) -> HttpResponse:
    next_url = request.get_full_path()
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts=None):
        next_url = "/"
    if user_has_device(user):
        # Signed in before the authenticator was enrolled: sign in again, with the code.
        logout(request)
        messages.info(request, _("Please sign in again with your authentication code."))
        return redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")
    messages.info(request, _("Administrators must turn on two-factor authentication first."))
    return redirect("account_security")
