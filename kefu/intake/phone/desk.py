"""The desk's callback list: calls someone must return (voicemail, requested callbacks, missed
and abandoned calls), most overdue first, each marked done once by the agent who called."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from kefu.errors import NotFound
from kefu.intake.phone import actions, queries
from kefu.tickets.views.common import agent_required


@agent_required
@require_GET
def callbacks(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    tasks = list(queries.open_callbacks(viewer)[:200])
    return render(request, "phone/callbacks.html", {"tasks": tasks, "now": timezone.now()})


@agent_required
@require_POST
def callback_done(request: HttpRequest, task_id: int) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    task = queries.callback(viewer, task_id)
    if viewer.agent is None:
        raise NotFound()
    actions.complete_callback(task=task, agent=viewer.agent)
    return redirect("desk_callbacks")
