"""API shapes of offline bookings."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field, StringConstraints

from kefu.appointments.models import Booking, Site

Topic = Annotated[str, StringConstraints(max_length=180)]
Place = Annotated[str, StringConstraints(max_length=200)]
Details = Annotated[str, StringConstraints(max_length=5000)]
Reason = Annotated[str, StringConstraints(max_length=2000)]
Name = Annotated[str, StringConstraints(max_length=120)]
OrganizationName = Annotated[str, StringConstraints(max_length=200)]
IdNumber = Annotated[str, StringConstraints(max_length=40)]


class VisitIn(Schema):
    slot: datetime = Field(description="When to visit; without an offset, China Standard Time")
    topic: Topic = Field(description="What the visit is about")
    place: Place = ""
    details: Details = ""
    site: int | None = Field(
        None, description="The site visited (GET /appointments/sites); required when sites exist"
    )
    visitor_name: Name = Field("", description="Who comes; by default the account's name")


class ArrivalIn(Schema):
    name: Name = Field(description="The visitor's name, as on their ID")
    organization: OrganizationName = Field(description="The organisation they say they are from")
    id_number: IdNumber = Field(description="Their ID number; stored masked, last 4 kept")


class WindowOut(Schema):
    weekday: int
    opens: str
    closes: str
    slot_minutes: int
    capacity: int


class SiteOut(Schema):
    id: int
    name: str
    address: str
    calendar: str
    windows: list[WindowOut]

    @classmethod
    def of(cls, site: Site) -> SiteOut:
        windows = [
            WindowOut(
                weekday=window.weekday,
                opens=f"{window.opens:%H:%M}",
                closes=f"{window.closes:%H:%M}",
                slot_minutes=window.slot_minutes,
                capacity=window.capacity,
            )
            for window in site.windows.all()
        ]
        return cls(
            id=site.pk,
            name=site.name,
            address=site.address,
            calendar=site.calendar,
            windows=windows,
        )


class ConfirmIn(Schema):
    slot: datetime | None = Field(None, description="Another time agreed with the customer")


class DeclineIn(Schema):
    reason: Reason


class BookingOut(Schema):
    id: int
    ticket: str
    status: str
    slot: datetime | None
    place: str
    topic: str
    reason: str
    requested_at: datetime
    confirm_due_at: datetime
    decided_at: datetime | None
    site: int | None
    visitor_name: str
    reminded_at: datetime | None
    arrived_at: datetime | None
    visitor_id_masked: str
    no_show_at: datetime | None
    no_show_by: str | None
    cancelled_at: datetime | None
    cancelled_by: str | None

    @classmethod
    def of(cls, booking: Booking) -> BookingOut:
        return cls(
            id=booking.pk,
            ticket=booking.ticket.number,
            status=booking.status,
            slot=booking.slot,
            place=booking.place,
            topic=booking.topic,
            reason=booking.reason,
            requested_at=booking.requested_at,
            confirm_due_at=booking.confirm_due_at,
            decided_at=booking.decided_at,
            site=booking.site_id,
            visitor_name=booking.visitor_name,
            reminded_at=booking.reminded_at,
            arrived_at=booking.arrived_at,
            visitor_id_masked=booking.visitor_id_masked,
            no_show_at=booking.no_show_at,
            no_show_by=booking.no_show_by.email if booking.no_show_by else None,
            cancelled_at=booking.cancelled_at,
            cancelled_by=booking.cancelled_by.email if booking.cancelled_by else None,
        )
