"""Django's error views, answering in the API's JSON under ``/api/``.

ninja answers the errors of the operations it runs; these cover what never reaches one: a path
under ``/api/`` that matches no operation (a ticket number with a slash in it), a request Django
itself refuses (400), a method no operation of the path takes (405: ninja answers it in plain
text, so a middleware rewrites it), and the last resort (500). Pages elsewhere keep Django's
HTML views.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        body = {"detail": _("The request could not be understood."), "code": "bad_request"}
        return JsonResponse(body, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Not allowed."), "code": "forbidden"}, status=403)
    return defaults.permission_denied(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        body = {"detail": _("Something went wrong on our side."), "code": "server_error"}
        return JsonResponse(body, status=500)
    return defaults.server_error(request)


def api_method_not_allowed(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware: a 405 under ``/api/`` in the API's JSON, keeping its ``Allow`` header."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if response.status_code != 405 or not _is_api(request):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        body = {"detail": _("This method is not allowed here."), "code": "method_not_allowed"}
        answer = JsonResponse(body, status=405)
        if response.has_header("Allow"):
            answer["Allow"] = response["Allow"]
        return answer

    return middleware
