"""What the portal and the workspace views share: who is asking, and how errors show."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from kefu.accounts.access import Viewer, viewer_for
from kefu.errors import KefuError, NotFound

View = Callable[..., HttpResponse]


def _role_required(check: Callable[[Viewer], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            viewer = viewer_for(request.user)
            if not check(viewer):
                raise Http404
            request.viewer = viewer  # type: ignore[attr-defined]
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404 from exc

        return wrapped

    return decorator


customer_required = _role_required(lambda viewer: viewer.is_customer)
agent_required = _role_required(lambda viewer: viewer.is_agent)


def flash_error(request: HttpRequest, error: KefuError) -> None:
    messages.error(request, str(error.message))


def paginate(request: HttpRequest, items: QuerySet[Any], per_page: int = 25) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))
