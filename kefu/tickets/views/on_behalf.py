"""Tickets an agent opens for a customer (on a call, at the desk, from a mail or a WeChat message
to them): find the customer or take down a new contact, then fill in the portal's form. The
ticket goes through the one intake pipeline (``intake.interactive``), which names the agent in
its history and, for a call or a visit, counts their conversation as the first response."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kefu.accounts.access import Viewer, may_create_ticket
from kefu.accounts.queries import customer_by_id, find_customers
from kefu.tickets import queries
from kefu.tickets.forms import OnBehalfTicketForm, PortalTicketForm
from kefu.tickets.models import Ticket
from kefu.tickets.views.common import agent_required, open_from_form

MAX_QUERY = 200


@agent_required
def desk_new(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    if not may_create_ticket(viewer, None):
        raise PermissionDenied  # QA reviews tickets; it does not open them
    form = OnBehalfTicketForm(
        request.POST or None,
        request.FILES or None,
        initial={"requester": request.GET.get("requester")},
    )
    if request.method == "POST" and form.is_valid():
        ticket = _open(form, viewer)
        if ticket is not None:
            return _after_opening(request, viewer, ticket)
    query = request.GET.get("q", "")[:MAX_QUERY]
    chosen = str(form["requester"].value() or "")
    context = {
        "form": form,
        # The portal's fields, in the portal's order, after who and how.
        "request_fields": [form[name] for name in PortalTicketForm.base_fields],
        "q": query,
        "results": list(find_customers(viewer, query)),
        "chosen": customer_by_id(viewer, int(chosen)) if chosen.isdigit() else None,
    }
    return render(request, "tickets/desk_new.html", context)


def _open(form: OnBehalfTicketForm, viewer: Viewer) -> Ticket | None:
    """The ticket, or None with the pipeline's refusal on the form (the field it names)."""
    data = form.cleaned_data
    return open_from_form(
        form,
        channel=data["channel"],
        viewer=viewer,
        requester=form.requester_or_contact(),
        organization=data["contact_organization"] if data["requester"] is None else None,
    )


def _after_opening(request: HttpRequest, viewer: Viewer, ticket: Ticket) -> HttpResponse:
    """To the new ticket, or to the queue when routing gave it to a team the agent cannot see."""
    number = ticket.number
    messages.success(request, _("Ticket %(number)s was created.") % {"number": number})
    if queries.visible_tickets(viewer).filter(pk=ticket.pk).exists():
        return redirect("desk_ticket", number=number)
    messages.info(request, _("It went to a team whose tickets you do not see."))
    return redirect("desk_queue")
