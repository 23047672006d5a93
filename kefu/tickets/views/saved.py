"""Saved views of the desk queue: the sidebar with their counts (re-read live like the queue),
and saving, renaming and deleting them from the queue."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.accounts.access import Viewer
from kefu.accounts.models import Team
from kefu.errors import KefuError
from kefu.tickets import actions, queries
from kefu.tickets.views.common import agent_required, flash_error


def lead_teams(viewer: Viewer) -> list[Team]:
    """The teams the viewer may share a view with."""
    return [team for team in Team.objects.all() if queries.may_share_with(viewer, team)]


@agent_required
def desk_saved_views(request: HttpRequest) -> HttpResponse:
    """The sidebar: each view with its count."""
    listed = queries.counted_views(request.viewer)  # type: ignore[attr-defined]
    return render(request, "tickets/_saved_views.html", {
        "listed": listed, "limit": queries.VIEW_COUNT_LIMIT, "current": request.GET.get("at", ""),
    })  # fmt: skip


@require_POST
@agent_required
def desk_save_view(request: HttpRequest) -> HttpResponse:
    """Save the queue's current filters (sent along with the name) as a view."""
    viewer = request.viewer  # type: ignore[attr-defined]
    filters = {name: request.POST.get(name, "") for name in queries.FILTER_NAMES}
    team_code = request.POST.get("team_shared", "")
    team = Team.objects.filter(code=team_code).first() if team_code else None
    try:
        view = actions.save_view(
            actor=viewer, name=request.POST.get("name", ""), filters=filters, team=team
        )
    except KefuError as exc:
        flash_error(request, exc)
        kept = {k: v for k, v in filters.items() if v}
        return redirect(reverse("desk_queue") + ("?" + urlencode(kept) if kept else ""))
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    return redirect(reverse("desk_queue") + "?" + urlencode({**view.filters, "view": view.pk}))


@require_POST
@agent_required
def desk_edit_view(request: HttpRequest, view_id: int) -> HttpResponse:
    """Rename (``name``) or delete (``delete``) a saved view."""
    viewer = request.viewer  # type: ignore[attr-defined]
    view = queries.get_saved_view(viewer, view_id)
    try:
        if request.POST.get("delete"):
            actions.delete_view(view=view, actor=viewer)
            messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
            return redirect("desk_queue")
        actions.rename_view(view=view, actor=viewer, name=request.POST.get("name", ""))
    except KefuError as exc:
        flash_error(request, exc)
    else:
        messages.success(request, _("View renamed to “%(name)s”.") % {"name": view.name})
    return redirect(reverse("desk_queue") + "?" + urlencode({**view.filters, "view": view.pk}))
