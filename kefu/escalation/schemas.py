"""API shapes of nudges, complaints and notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from kefu.escalation.models import Notification
from kefu.escalation.texts import notification_text
from kefu.validation import Id


class NudgeOut(Schema):
    ticket: str
    nudged_at: datetime
    next_nudge_at: datetime


class ComplaintCreate(Schema):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
    about_agent: bool = False


class ComplaintOut(Schema):
    ticket: str
    complaint: str
    status: str


class NotificationOut(Schema):
    id: int
    kind: str
    ticket: str | None
    text: str
    created_at: datetime
    read_at: datetime | None

    @classmethod
    def of(cls, notification: Notification) -> NotificationOut:
        return cls(
            id=notification.pk,
            kind=notification.kind,
            ticket=notification.ticket.number if notification.ticket else None,
            text=notification_text(notification),
            created_at=notification.created_at,
            read_at=notification.read_at,
        )


class ReadIn(Schema):
    ids: list[Id] | None = Field(None, max_length=1000)


class ReadOut(Schema):
    marked: int
