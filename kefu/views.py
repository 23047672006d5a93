"""Site-wide pages: the front door and a health check (sign-in lives in kefu/accounts)."""

from __future__ import annotations

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


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})
