"""The agents' workspace: the queue and the ticket with its timeline."""

from __future__ import annotations

from itertools import chain

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.accounts.access import Viewer
from kefu.accounts.models import Team
from kefu.errors import KefuError, NotFound, StaleTicket
from kefu.macros.actions import reply_with_macro
from kefu.macros.picker import picker_entries
from kefu.macros.queries import usable_macro
from kefu.search import queries as search
from kefu.tickets import actions, queries
from kefu.tickets.concurrency import check_version, ticket_version
from kefu.tickets.forms import ReplyForm, TicketUpdateForm
from kefu.tickets.models import (
    Category,
    EventKind,
    Message,
    Priority,
    Status,
    Ticket,
    TicketEvent,
)
from kefu.tickets.views.bulk import bulk_choices
from kefu.tickets.views.common import agent_required, flash_error, paginate
from kefu.tickets.views.saved import lead_teams
from kefu.tickets.work import unit_of_work


@agent_required
def desk_queue(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    chosen = {name: request.GET.get(name) or None for name in queries.FILTER_NAMES}
    page = paginate(request, queries.list_tickets(viewer, queries.queue_filters(chosen)))
    if chosen["q"]:
        marked = search.snippets([t.pk for t in page], chosen["q"], staff=True)
        for ticket in page:  # escaped by ``search.snippets``: <mark> is its only markup
            ticket.search_snippet = mark_safe(marked.get(ticket.pk, ""))  # type: ignore[attr-defined]
    context = {
        "page": page,
        "chosen": chosen,
        "statuses": Status.choices,
        "priorities": Priority.choices,
        "categories": Category.objects.filter(is_active=True),
        "teams": Team.objects.all(),
        "may_edit": viewer.may_edit_tickets,
    }
    htmx = request.headers.get("HX-Request") == "true"
    if htmx:
        return render(request, "tickets/_queue_table.html", context)
    listed = queries.counted_views(viewer)
    at = request.GET.get("view", "")
    context.update(
        bulk_choices(viewer),
        lead_teams=lead_teams(viewer),
        saved_listed=listed,
        chosen_view=next((v for v, _n in listed if v.key == at and v.key.isdigit()), None),
        limit=queries.VIEW_COUNT_LIMIT,
    )
    return render(request, "tickets/desk_queue.html", context)


@agent_required
def desk_queue_views(request: HttpRequest) -> HttpResponse:
    """The views in the top bar with their counts, re-read when a live push says tickets moved."""
    counts = queries.queue_view_counts(request.viewer)  # type: ignore[attr-defined]
    context = {"counts": counts, "limit": queries.VIEW_COUNT_LIMIT}
    return render(request, "tickets/_queue_views.html", context)


def _timeline(viewer: Viewer, ticket: Ticket) -> list[tuple[str, Message | TicketEvent]]:
    """Messages and events of a ticket, merged in time order for the agent's view."""
    conversation: list[tuple[str, Message | TicketEvent]] = [
        ("message", m) for m in queries.ticket_messages(viewer, ticket)
    ]
    changes: list[tuple[str, Message | TicketEvent]] = [
        ("event", e)
        for e in queries.ticket_events(viewer, ticket)
        if e.kind not in (EventKind.REPLY, EventKind.NOTE, EventKind.ATTACHMENT)
    ]
    return sorted(chain(conversation, changes), key=lambda item: item[1].created_at)


@agent_required
def desk_ticket(request: HttpRequest, number: str) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    ticket = queries.get_ticket(viewer, number)
    reply = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and reply.is_valid():
        data = reply.cleaned_data
        try:
            with unit_of_work():  # reply, files, the macro's changes and the status: all or none
                check_version(ticket, request.POST.get("version"))
                macro = usable_macro(viewer, data["macro"]) if data["macro"] else None
                reply_with_macro(
                    ticket=ticket,
                    actor=viewer,
                    body=data["body"],
                    internal=data["internal"],
                    macro=macro,
                    then_status=data["then_status"],
                    attachments=data["attachments"],
                )
        except StaleTicket as exc:  # the form comes back with the text; the page shows what's new
            ticket = queries.get_ticket(viewer, number)
            return _ticket_page(request, viewer, ticket, reply=reply, stale=("reply", exc))
        except KefuError as exc:
            flash_error(request, exc)
            ticket = queries.get_ticket(viewer, number)  # as it is, not as the failed try left it
        else:
            return redirect("desk_ticket", number=number)
    return _ticket_page(request, viewer, ticket, reply=reply)


def _ticket_page(
    request: HttpRequest,
    viewer: Viewer,
    ticket: Ticket,
    *,
    reply: ReplyForm | None = None,
    update: TicketUpdateForm | None = None,
    stale: tuple[str, StaleTicket] | None = None,
) -> HttpResponse:
    """The ticket page; after a refused stale submit, with the submitted form still filled in."""
    if update is None:
        update = TicketUpdateForm(
            initial={
                "status": ticket.status,
                "priority": ticket.priority,
                "complexity": ticket.complexity,
                "category": ticket.category,
                "team": ticket.team,
                "assignee": ticket.assignee,
            }
        )
    context = {
        "ticket": ticket,
        "version": ticket_version(ticket),
        "stale_form": stale[0] if stale else "",
        "stale_message": str(stale[1].message) if stale else "",
        "timeline": _timeline(viewer, ticket),
        "attachments": queries.ticket_attachments(viewer, ticket),
        "splittable": queries.ticket_messages(viewer, ticket).filter(is_internal=False),
        "reply": reply or ReplyForm(),
        "update": update,
        "may_edit": viewer.may_edit_tickets,
        "macros": picker_entries(viewer, _ui_lang()) if viewer.may_edit_tickets else [],
        "neighbours": queries.queue_neighbours(viewer, ticket),
        "following": queries.is_following(viewer, ticket),
    }
    status = 409 if stale else 200
    return render(request, "tickets/desk_ticket.html", context, status=status)


def _ui_lang() -> str:
    return "zh" if (get_language() or "").startswith("zh") else "en"


@require_POST
@agent_required
def desk_update(request: HttpRequest, number: str) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    ticket = queries.get_ticket(viewer, number)
    if request.POST.get("take"):
        changes = {"assignee": viewer.agent}
    else:
        form = TicketUpdateForm(request.POST)
        if not form.is_valid():
            for error in form.errors.values():
                messages.error(request, error.as_text())
            return redirect("desk_ticket", number=number)
        changes = form.cleaned_data
    try:
        with unit_of_work():
            check_version(ticket, request.POST.get("version"))
            actions.update_ticket(ticket=ticket, actor=viewer, changes=changes)
    except StaleTicket as exc:  # the chosen values come back; nothing is overwritten
        fresh = queries.get_ticket(viewer, number)
        chosen = None if request.POST.get("take") else TicketUpdateForm(request.POST)
        return _ticket_page(request, viewer, fresh, update=chosen, stale=("update", exc))
    except KefuError as exc:
        flash_error(request, exc)
    return redirect("desk_ticket", number=number)


@require_POST
@agent_required
def desk_next(request: HttpRequest) -> HttpResponse:
    """Take the next ticket: the best unassigned one of my teams becomes mine."""
    try:
        ticket = actions.take_next_ticket(actor=request.viewer)  # type: ignore[attr-defined]
    except KefuError as exc:
        flash_error(request, exc)
        return redirect("desk_queue")
    if ticket is None:
        messages.info(request, _("No unassigned ticket is waiting in your teams."))
        return redirect("desk_queue")
    return redirect("desk_ticket", number=ticket.number)


@agent_required
def desk_merge(request: HttpRequest, number: str) -> HttpResponse:
    """Merging shows both tickets side by side, with what differs, and merges only when the
    agent confirms (and, when requesters or order ids differ, says they compared them)."""
    viewer = request.viewer  # type: ignore[attr-defined]
    source = queries.get_ticket(viewer, number)
    into = (request.POST if request.method == "POST" else request.GET).get("into", "")
    try:
        target = queries.get_ticket(viewer, into.strip().upper()[:24])
    except NotFound:
        messages.error(request, _("No ticket %(number)s to merge into.") % {"number": into[:24]})
        return redirect("desk_ticket", number=number)
    if request.method == "POST":
        confirmed = request.POST.get("confirm_differences") == "1"
        try:
            actions.merge_tickets(source=source, target=target, actor=viewer, confirmed=confirmed)
        except KefuError as exc:
            flash_error(request, exc)
        else:
            messages.success(request, _("Merged into %(number)s.") % {"number": target.number})
            return redirect("desk_ticket", number=target.number)
    differences = queries.merge_differences(source, target)
    sides = [(t, queries.ticket_messages(viewer, t).order_by("-created_at")[:3])
             for t in (source, target)]  # fmt: skip
    return render(request, "tickets/desk_merge.html", {
        "source": source, "target": target, "sides": sides, "differences": differences,
        "warnings": merge_warnings(source, target, differences),
    })  # fmt: skip


@require_POST
@agent_required
def desk_follow(request: HttpRequest, number: str) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    ticket = queries.get_ticket(viewer, number)
    following = request.POST.get("follow") == "1"
    try:
        actions.follow_ticket(ticket=ticket, actor=viewer, following=following)
    except KefuError as exc:
        flash_error(request, exc)
    else:
        messages.success(
            request,
            _("You follow this ticket: the customer's new messages will notify you.")
            if following
            else _("You no longer follow this ticket."),
        )
    return redirect("desk_ticket", number=number)


@require_POST
@agent_required
def desk_split(request: HttpRequest, number: str) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    ticket = queries.get_ticket(viewer, number)
    chosen = [int(v) for v in request.POST.getlist("messages") if v.isdigit()]
    try:
        new = actions.split_ticket(ticket=ticket, message_ids=chosen, actor=viewer,
                                   subject=request.POST.get("subject", ""))  # fmt: skip
    except KefuError as exc:
        flash_error(request, exc)
        return redirect("desk_ticket", number=number)
    messages.success(request, _("Split off as %(number)s.") % {"number": new.number})
    return redirect("desk_ticket", number=new.number)


def merge_warnings(source: Ticket, target: Ticket, differences: list[str]) -> list[str]:
    """What the agent should compare before merging, in their language."""

    def who(ticket: Ticket) -> str:
        return str(ticket.organization or ticket.requester.name or ticket.requester.email)

    texts = {
        "customer": _(
            "These tickets belong to different customers (%(a)s and %(b)s): merging would show "
            "one customer's conversation to the other, so they cannot be merged."
        ) % {"a": who(source), "b": who(target)},
        "requester": _("The requesters differ: %(a)s on %(source)s, %(b)s on %(target)s.") % {
            "a": source.requester.name or source.requester.email, "source": source.number,
            "b": target.requester.name or target.requester.email, "target": target.number,
        },
        "order_id": _("The order ids differ: %(a)s on %(source)s, %(b)s on %(target)s.") % {
            "a": source.order_id, "source": source.number,
            "b": target.order_id, "target": target.number,
        },
    }  # fmt: skip
    return [texts[d] for d in differences]
