"""API shapes of offline bookings."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field, StringConstraints

from kefu.appointments.models import Booking

Topic = Annotated[str, StringConstraints(max_length=180)]
Place = Annotated[str, StringConstraints(max_length=200)]
Details = Annotated[str, StringConstraints(max_length=5000)]
Reason = Annotated[str, StringConstraints(max_length=2000)]


class VisitIn(Schema):
    slot: datetime = Field(description="When to visit; without an offset, China Standard Time")
    topic: Topic = Field(description="What the visit is about")
    place: Place = ""
    details: Details = ""


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
        )
