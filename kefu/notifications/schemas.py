"""API shapes of notifications and preferences."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from kefu.notifications.models import Notification
from kefu.notifications.texts import notification_text
from kefu.validation import Id


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


class InboxOut(Schema):
    unread: int
    items: list[NotificationOut]


class ReadIn(Schema):
    ids: list[Id] | None = Field(None, max_length=1000)


class ReadOut(Schema):
    marked: int


class ChannelsIO(Schema):
    in_app: bool
    email: bool
    browser: bool = False  # omitted in a PUT: the current choice is kept
