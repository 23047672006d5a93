"""Site-wide pages: the front door, liveness and readiness (sign-in lives in kefu/accounts)."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from kefu import readiness
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


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when every dependency this node needs answers; 503 naming those that do not."""
    failed = readiness.failures()
    checked = {name: failed.get(name, "ok") for name in readiness.checks()}
    body = {"status": "unavailable" if failed else "ok", "failed": sorted(failed), **checked}
    return JsonResponse(body, status=503 if failed else 200)
