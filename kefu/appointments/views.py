"""Offline visits in the portal (book one at a site's slot, follow one's bookings, cancel) and
the desk's decisions (confirm, decline, record the arrival or a no-show, done). Thin: the
rules live in ``actions``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.appointments import actions, queries, rules
from kefu.appointments.forms import ArrivalForm, ConfirmForm, DeclineForm, VisitForm
from kefu.appointments.models import Booking
from kefu.errors import Invalid, KefuError
from kefu.tickets.models import Channel
from kefu.tickets.views.common import agent_required, customer_required, flash_error


def _in_china(moment: datetime | None) -> datetime | None:
    """A form's time without an offset is China Standard Time (the centre's calendar)."""
    if moment is None:
        return None
    zone = rules.zone()
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)


def _naive_china(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.astimezone(rules.zone()).replace(tzinfo=None)


@customer_required
def portal_bookings(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = actions.request_visit(
                viewer=viewer,
                channel=Channel.WEB,
                slot=_in_china(data["slot"]),
                topic=data["topic"],
                place=data.get("place", ""),
                details=data["details"],
                site_id=data["site"].pk if data.get("site") else None,
            )
        except Invalid as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        except KefuError as error:
            flash_error(request, error)
        else:
            messages.success(
                request,
                _(
                    "Your visit is requested as ticket %(number)s. We confirm "
                    "it within 2 working days."
                )
                % {"number": booking.ticket.number},
            )
            return redirect("portal_bookings")
    context = {
        "form": form,
        "bookings": queries.visible_bookings(viewer)[:100],
        "earliest": rules.earliest_day(timezone.now()),
    }
    return render(request, "appointments/portal.html", context)


@require_POST
@customer_required
def portal_cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    try:
        actions.cancel_booking(viewer=request.viewer, booking_id=booking_id)  # type: ignore[attr-defined]
    except KefuError as error:
        flash_error(request, error)
    else:
        messages.success(request, _("The visit is cancelled."))
    return redirect("portal_bookings")


def _decide(
    request: HttpRequest, booking_id: int, run: Callable[[Booking], Booking]
) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    booking = queries.get_booking(viewer, booking_id)  # another's: 404
    try:
        run(booking)
    except KefuError as error:
        flash_error(request, error)
    else:
        booking.refresh_from_db()
        messages.success(
            request, _("The visit is now: %(status)s.") % {"status": booking.get_status_display()}
        )
    return redirect("desk_ticket", number=booking.ticket.number)


@require_POST
@agent_required
def desk_confirm(request: HttpRequest, booking_id: int) -> HttpResponse:
    form = ConfirmForm(request.POST)
    slot = _in_china(form.cleaned_data["slot"]) if form.is_valid() else None
    viewer = request.viewer  # type: ignore[attr-defined]
    return _decide(
        request,
        booking_id,
        lambda b: actions.confirm_booking(viewer=viewer, booking_id=b.pk, slot=slot),
    )


@require_POST
@agent_required
def desk_decline(request: HttpRequest, booking_id: int) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    reason = request.POST.get("reason", "")
    return _decide(
        request,
        booking_id,
        lambda b: actions.decline_booking(viewer=viewer, booking_id=b.pk, reason=reason),
    )


@require_POST
@agent_required
def desk_done(request: HttpRequest, booking_id: int) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    return _decide(
        request, booking_id, lambda b: actions.finish_booking(viewer=viewer, booking_id=b.pk)
    )


@require_POST
@agent_required
def desk_arrival(request: HttpRequest, booking_id: int) -> HttpResponse:
    """The desk checks the visitor against the booking and records the arrival."""
    viewer = request.viewer  # type: ignore[attr-defined]
    name, organization, id_number = (
        request.POST.get(field, "") for field in ("name", "organization", "id_number")
    )
    return _decide(
        request,
        booking_id,
        lambda b: actions.record_arrival(
            viewer=viewer,
            booking_id=b.pk,
            name=name,
            organization=organization,
            id_number=id_number,
        ),
    )


@require_POST
@agent_required
def desk_no_show(request: HttpRequest, booking_id: int) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    return _decide(
        request, booking_id, lambda b: actions.mark_no_show(viewer=viewer, booking_id=b.pk)
    )


def decision_forms(booking: Booking) -> dict[str, object]:
    organization = booking.ticket.organization
    return {
        "confirm": ConfirmForm(initial={"slot": _naive_china(booking.slot)}),
        "decline": DeclineForm(),
        "arrival": ArrivalForm(
            initial={
                "name": booking.visitor_name,
                "organization": organization.name if organization else "",
            },
            auto_id=f"id_arrival_{booking.pk}_%s",
        ),
    }
