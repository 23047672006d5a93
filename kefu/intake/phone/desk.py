"""The desk's phone pages: the callback list (calls someone must return, most overdue first,
each marked done once by the agent who called), the screen pop (the call ringing at this agent,
re-read when a live push says it changed) and an agent's confirmation of a caller's account."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kefu.accounts.models import Organization
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


@agent_required
@require_GET
def screen_pop(request: HttpRequest) -> HttpResponse:
    """The call ringing at this agent: caller, organisation, verification, menu choices and the
    caller's open tickets (an empty region when no call rings)."""
    viewer = request.viewer  # type: ignore[attr-defined]
    call = queries.ringing_call(viewer)
    context = {
        "call": call,
        "open_tickets": queries.open_tickets_of_caller(viewer, call) if call else [],
        "organizations": queries.organizations_to_confirm() if call and not call.caller_id else [],
    }
    return render(request, "phone/_screen_pop.html", context)


@agent_required
@require_POST
def verify_caller(request: HttpRequest, call_id: int) -> HttpResponse:
    """The agent confirmed the caller's company name and account id on the phone."""
    viewer = request.viewer  # type: ignore[attr-defined]
    call = queries.desk_call(viewer, call_id)
    organization = Organization.objects.filter(code=request.POST.get("organization", "")).first()
    if viewer.agent is None:
        raise NotFound()
    if organization is None:
        messages.error(request, _("Choose the account whose company name and id you confirmed."))
    else:
        actions.agent_verifies(call=call, agent=viewer.agent, organization=organization)
    back = request.POST.get("next", "")
    if back.startswith("/desk/") and "//" not in back:
        return redirect(back)
    return (
        redirect("desk_ticket", number=call.ticket.number)
        if call.ticket
        else redirect("desk_queue")
    )
