"""Bulk actions on the queue's selected rows: assign, status, tags, a macro.

Each ticket is changed through the normal actions in its own unit of work
(``macros.actions.change_in_bulk``) and checked against the version its row showed: a ticket
that changed since the queue was read, or that refuses the change, is skipped and named with the
reason; the others go through.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.accounts.access import Viewer
from kefu.accounts.models import Agent
from kefu.errors import Invalid, KefuError, StaleTicket
from kefu.macros.actions import change_in_bulk
from kefu.macros.models import Macro
from kefu.macros.queries import usable_macro, usable_macros
from kefu.tickets import queries
from kefu.tickets.concurrency import check_version
from kefu.tickets.models import Status
from kefu.tickets.views.common import agent_required
from kefu.tickets.work import unit_of_work

MAX_ROWS = 100


def bulk_choices(viewer: Viewer) -> dict[str, Any]:
    """What the bulk bar offers."""
    if not viewer.may_edit_tickets:
        return {}
    return {
        "bulk_agents": Agent.objects.select_related("user").order_by("code"),
        "bulk_macros": usable_macros(viewer),
    }


def _chosen(request: HttpRequest, viewer: Viewer) -> tuple[dict[str, Any], list[str], Macro | None]:
    """The bar's choices: field changes, tags to add, a macro. Nothing chosen is refused."""
    post = request.POST
    changes: dict[str, Any] = {}
    assignee = post.get("bulk_assignee", "")
    if assignee == "none":
        changes["assignee"] = None
    elif assignee:
        agent = viewer.agent if assignee == "me" else Agent.objects.filter(code=assignee).first()
        if agent is None:
            raise Invalid(_("No such agent."), field="bulk_assignee")
        changes["assignee"] = agent
    status = post.get("bulk_status", "")
    if status:
        if status not in Status.values:
            raise Invalid(_("No such status."), field="bulk_status")
        changes["status"] = status
    tags = [t.strip()[:40] for t in post.get("bulk_tags", "").split(",") if t.strip()]
    macro = usable_macro(viewer, post["bulk_macro"]) if post.get("bulk_macro") else None
    if not (changes or tags or macro):
        raise Invalid(_("Choose what to change on the selected tickets."), field="bulk")
    return changes, tags, macro


@require_POST
@agent_required
def desk_bulk(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    back = request.POST.get("back", "")
    back = back if back.startswith("/desk/") else "/desk/"
    numbers = list(dict.fromkeys(request.POST.getlist("numbers")))[:MAX_ROWS]
    if not numbers:
        messages.error(request, _("Select the tickets to change first."))
        return redirect(back)
    try:
        changes, tags, macro = _chosen(request, viewer)
    except KefuError as exc:
        messages.error(request, str(exc.message))
        return redirect(back)
    done, skipped = 0, []
    for number in numbers:
        try:
            ticket = queries.get_ticket(viewer, number.strip().upper()[:24])
            with unit_of_work():
                check_version(ticket, request.POST.get(f"version-{ticket.number}"))
                change_in_bulk(
                    ticket=ticket, actor=viewer, changes=changes, add_tags=tags, macro=macro
                )
        except StaleTicket:
            skipped.append((number, _("it changed since the queue was shown; review it first")))
        except KefuError as exc:
            skipped.append((number, str(exc.message)))
        else:
            done += 1
    if done:
        messages.success(request, _("Changed %(n)s tickets.") % {"n": done})
    for number, reason in skipped:
        messages.warning(
            request, _("Skipped %(number)s: %(reason)s") % {"number": number, "reason": reason}
        )
    return redirect(back)
