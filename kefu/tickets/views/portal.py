"""The customer portal: submit, follow, answer, and confirm or reopen tickets."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.accounts.access import may_create_ticket
from kefu.errors import KefuError
from kefu.intake import interactive
from kefu.ratings.queries import with_last_rating
from kefu.tickets import actions, queries
from kefu.tickets.forms import CustomerReplyForm, PortalTicketForm
from kefu.tickets.models import OPEN_STATUSES, Channel, Status
from kefu.tickets.views.common import customer_required, flash_error, open_from_form, paginate


@customer_required
def portal_list(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    show = request.GET.get("show", "open")
    tickets = queries.list_tickets(viewer, queries.TicketFilters(q=request.GET.get("q")))
    if show == "open":
        tickets = tickets.filter(status__in=OPEN_STATUSES)
    elif show == "done":
        tickets = tickets.exclude(status__in=OPEN_STATUSES)
    context = {
        "page": paginate(request, with_last_rating(tickets)),
        "show": show,
        "may_create": may_create_ticket(viewer, None),
    }
    return render(request, "tickets/portal_list.html", context)


@customer_required
def portal_new(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    form = PortalTicketForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        account = viewer.account
        ticket = open_from_form(
            form,
            channel=Channel.WEB,
            viewer=viewer,
            requester=account.user,
            organization=account.organization,
        )
        if ticket is not None:
            number = ticket.number
            messages.success(request, _("Ticket %(number)s was created.") % {"number": number})
            return redirect("portal_ticket", number=number)
    return render(request, "tickets/portal_new.html", {"form": form})


@customer_required
def portal_ticket(request: HttpRequest, number: str) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    ticket = queries.get_ticket(viewer, number)
    form = CustomerReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            interactive.reply(
                channel=Channel.WEB,
                viewer=viewer,
                ticket=ticket,
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"],
            )
        except KefuError as exc:
            flash_error(request, exc)
        else:
            return redirect("portal_ticket", number=number)
    context = {
        "ticket": ticket,
        "messages_list": queries.ticket_messages(viewer, ticket),
        "form": form,
        "is_resolved": ticket.status == Status.RESOLVED,
    }
    return render(request, "tickets/portal_ticket.html", context)


@require_POST
@customer_required
def portal_decide(request: HttpRequest, number: str) -> HttpResponse:
    """The customer confirms the resolution (close) or says it is not solved (reopen)."""
    viewer = request.viewer  # type: ignore[attr-defined]
    ticket = queries.get_ticket(viewer, number)
    status = Status.CLOSED if request.POST.get("decision") == "confirm" else Status.OPEN
    try:
        actions.change_status(ticket=ticket, actor=viewer, status=status)
    except KefuError as exc:
        flash_error(request, exc)
    return redirect("portal_ticket", number=number)
