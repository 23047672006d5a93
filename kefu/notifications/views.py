"""The notification centre (staff and customers alike), its unread badge and the preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kefu.errors import KefuError
from kefu.notifications import actions, queries
from kefu.notifications.models import Kind
from kefu.notifications.preferences import ALWAYS_EMAIL, Channels
from kefu.notifications.templatetags.notification_tags import badge_context
from kefu.tickets.views.common import flash_error, paginate


def _nav(request: HttpRequest) -> str:
    staff = getattr(request.user, "agent", None) is not None
    return "tickets/_desk_nav.html" if staff else "tickets/_portal_nav.html"


@login_required
def centre(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        actions.mark_read(user=request.user)  # type: ignore[arg-type]
        return redirect("notifications")
    page = paginate(request, queries.inbox(request.user), per_page=50)  # type: ignore[arg-type]
    return render(request, "notifications/centre.html", {"page": page, "nav": _nav(request)})


@login_required
@require_GET
def badge(request: HttpRequest) -> HttpResponse:
    """The unread count in the top bar, re-read when a live push says it changed."""
    return render(request, "notifications/_badge.html", badge_context(request))


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    current = queries.preferences(user)  # type: ignore[arg-type]
    if request.method == "POST":
        chosen = {
            kind: Channels(
                in_app=request.POST.get(f"{kind}-in_app") == "on",
                email=request.POST.get(f"{kind}-email") == "on" or kind in ALWAYS_EMAIL,
                browser=request.POST.get(f"{kind}-browser") == "on",
            )
            for kind in current
        }
        try:
            actions.set_preferences(user=user, choices=chosen)  # type: ignore[arg-type]
        except KefuError as error:
            flash_error(request, error)
        else:
            messages.success(request, _("Your notification preferences are saved."))
        return redirect("notification_preferences")
    rows = [(Kind(kind), channels, kind in ALWAYS_EMAIL) for kind, channels in current.items()]
    staff = getattr(user, "agent", None) is not None
    context = {"rows": rows, "nav": _nav(request), "staff": staff}
    return render(request, "notifications/preferences.html", context)
