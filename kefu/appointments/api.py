"""``/api/v1/appointments``: customers book offline visits (a slot at least 3 working days
ahead at one of a site's slots with room, or a 422 naming ``site`` or ``slot``); staff confirm
or decline them, record arrivals (the visitor checked against the booking) and no-shows; anyone
who sees the ticket sees its bookings."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Path, Router, Status

from kefu.accounts.access import request_viewer
from kefu.appointments import actions, queries, rules
from kefu.appointments.models import Site
from kefu.appointments.schemas import ArrivalIn, BookingOut, ConfirmIn, DeclineIn, SiteOut, VisitIn
from kefu.schemas import errors
from kefu.tickets.models import Channel
from kefu.validation import Id

router = Router(tags=["appointments"])


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=rules.zone())


@router.get("/appointments", response=list[BookingOut], summary="Offline visits I may see")
def bookings(request: HttpRequest) -> list[BookingOut]:
    found = queries.visible_bookings(request_viewer(request))[:200]
    return [BookingOut.of(booking) for booking in found]


@router.get("/appointments/sites", response=list[SiteOut], summary="Sites visitors may book")
def sites(request: HttpRequest) -> list[SiteOut]:
    found = Site.objects.filter(active=True).prefetch_related("windows")
    return [SiteOut.of(site) for site in found]


@router.post(
    "/appointments", response={201: BookingOut, **errors(403, 503)}, summary="Book an offline visit"
)
def book(request: HttpRequest, payload: VisitIn) -> Status:
    booking = actions.request_visit(
        viewer=request_viewer(request),
        channel=Channel.API,
        slot=_aware(payload.slot),
        topic=payload.topic,
        place=payload.place,
        details=payload.details,
        site_id=payload.site,
        visitor_name=payload.visitor_name,
    )
    return Status(201, BookingOut.of(booking))


@router.post(
    "/appointments/{booking_id}/confirm",
    response={200: BookingOut, **errors(403, 409)},
    summary="Confirm a visit (at the requested time, or another agreed)",
)
def confirm(request: HttpRequest, booking_id: Path[Id], payload: ConfirmIn) -> BookingOut:
    booking = actions.confirm_booking(
        viewer=request_viewer(request), booking_id=booking_id, slot=_aware(payload.slot)
    )
    return BookingOut.of(booking)


@router.post(
    "/appointments/{booking_id}/decline",
    response={200: BookingOut, **errors(403, 409)},
    summary="Decline a visit, saying why",
)
def decline(request: HttpRequest, booking_id: Path[Id], payload: DeclineIn) -> BookingOut:
    booking = actions.decline_booking(
        viewer=request_viewer(request), booking_id=booking_id, reason=payload.reason
    )
    return BookingOut.of(booking)


@router.post(
    "/appointments/{booking_id}/cancel",
    response={200: BookingOut, **errors(403, 409)},
    summary="Call a visit off",
)
def cancel(request: HttpRequest, booking_id: Path[Id]) -> BookingOut:
    booking = actions.cancel_booking(viewer=request_viewer(request), booking_id=booking_id)
    return BookingOut.of(booking)


@router.post(
    "/appointments/{booking_id}/arrival",
    response={200: BookingOut, **errors(403, 409)},
    summary="Record the visitor's arrival, checked against the booking",
)
def arrival(request: HttpRequest, booking_id: Path[Id], payload: ArrivalIn) -> BookingOut:
    booking = actions.record_arrival(
        viewer=request_viewer(request),
        booking_id=booking_id,
        name=payload.name,
        organization=payload.organization,
        id_number=payload.id_number,
    )
    return BookingOut.of(booking)


@router.post(
    "/appointments/{booking_id}/no-show",
    response={200: BookingOut, **errors(403, 409)},
    summary="Record that the visitor did not come",
)
def no_show(request: HttpRequest, booking_id: Path[Id]) -> BookingOut:
    booking = actions.mark_no_show(viewer=request_viewer(request), booking_id=booking_id)
    return BookingOut.of(booking)
