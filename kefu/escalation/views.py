"""Portal buttons for the nudge and the complaint."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kefu.errors import KefuError
from kefu.escalation import actions
from kefu.tickets import queries as ticket_queries
from kefu.tickets.views.common import customer_required, flash_error


class ComplaintForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What went wrong"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    about_agent = forms.BooleanField(
        label=gettext_lazy("The complaint is about the agent who handled it"), required=False
    )


@require_POST
@customer_required
def portal_nudge(request: HttpRequest, number: str) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    ticket = ticket_queries.get_ticket(viewer, number)
    try:
        actions.nudge_ticket(ticket=ticket, actor=viewer)
    except KefuError as exc:
        flash_error(request, exc)
    else:
        messages.success(request, _("Support has been nudged; the team lead is informed."))
    return redirect("portal_ticket", number=number)


@require_POST
@customer_required
def portal_complaint(request: HttpRequest, number: str) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    ticket = ticket_queries.get_ticket(viewer, number)
    form = ComplaintForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please say what went wrong."))
        return redirect("portal_ticket", number=number)
    try:
        complaint = actions.file_complaint(
            ticket=ticket,
            actor=viewer,
            reason=form.cleaned_data["reason"],
            about_agent=form.cleaned_data["about_agent"],
        )
    except KefuError as exc:
        flash_error(request, exc)
        return redirect("portal_ticket", number=number)
    messages.success(
        request,
        _("Your complaint %(number)s was filed; the complaints team intervenes within 72 hours.")
        % {"number": complaint.number},
    )
    return redirect("portal_ticket", number=complaint.number)
