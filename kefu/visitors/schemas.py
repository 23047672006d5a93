"""Bodies of the public status-lookup operation."""

from __future__ import annotations

from ninja import Field, Schema


class StatusLookupIn(Schema):
    number: str = Field(..., min_length=1, max_length=24, description="Ticket number, KF…")
    email: str = Field(..., min_length=3, max_length=254, description="The requester's email")


class StatusLookupOut(Schema):
    detail: str
