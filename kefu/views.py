"""Site-wide pages: the front door, sign-in, and a health check."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from kefu.accounts.access import viewer_for


def home(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    if viewer.is_agent:
        return redirect("desk_queue")
    if viewer.user is not None:
        return redirect("portal_list")
    return redirect("login")


class LoginView(auth_views.LoginView):
    """Sign-in that switches the interface to the user's saved language."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, form.get_user().language, samesite="Lax")
        return response


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})
