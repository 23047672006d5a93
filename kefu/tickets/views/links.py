"""The page behind a signed link from our mail: what it will do, and the button that does it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kefu.errors import KefuError
from kefu.tickets import actions
from kefu.tickets.links import Action, Link, make_url, open_link
from kefu.tickets.models import Status
from kefu.tickets.work import unit_of_work

MAX_COMMENT = 5000


@require_http_methods(["GET", "POST"])
def ticket_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = open_link(token)
    except KefuError as error:
        return render(request, "tickets/link.html", {"error": error.message}, status=error.status)
    if link.action == Action.RATE:
        from kefu.ratings.views import rate_by_link

        return rate_by_link(request, link)
    if request.method == "POST":
        try:
            done = _act(link, request.POST.get("comment", "").strip()[:MAX_COMMENT])
        except KefuError as error:
            return render(request, "tickets/link.html", {"link": link, "error": error.message},
                          status=error.status)  # fmt: skip
        rate_url = make_url(link.ticket, Action.RATE) if link.action == Action.CONFIRM else ""
        return render(request, "tickets/link.html", {"link": link, "done": done,
                                                     "rate_url": rate_url})  # fmt: skip
    return render(request, "tickets/link.html", {"link": link})


def _act(link: Link, comment: str) -> str:
    with unit_of_work():
        if link.action == Action.CONFIRM:
            actions.change_status(ticket=link.ticket, actor=link.viewer, status=Status.CLOSED)
            return _("Thank you. Ticket %(number)s is closed.") % {"number": link.ticket.number}
        if comment:  # the customer's words reopen it, and tell the agent why
            actions.add_message(ticket=link.ticket, actor=link.viewer, body=comment)
        else:
            actions.change_status(ticket=link.ticket, actor=link.viewer, status=Status.OPEN)
    return _("Ticket %(number)s is open again; support will get back to you.") % {
        "number": link.ticket.number
    }
