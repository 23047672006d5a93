"""API shapes of ratings: what a customer sends, and how ratings of tickets and chats are shown."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from ninja import Schema
from pydantic import Field

from kefu.ratings.actions import CHANGE_DAYS, MAX_COMMENT
from kefu.ratings.models import Rating


class RatingCreate(Schema):
    score: Literal["satisfied", "neutral", "unsatisfied"] = Field(
        description="满意 satisfied / 一般 neutral / 不满意 unsatisfied"
    )
    comment: str = Field("", max_length=MAX_COMMENT)


class RatingOut(Schema):
    score: str = Field(description="satisfied, neutral or unsatisfied")
    comment: str
    via: str = Field(description="portal, link, api or chat")
    of: Literal["resolution", "chat"] = Field(description="What was rated")
    resolved_at: datetime | None = Field(None, description="The resolution rated")
    rated_at: datetime
    changed_at: datetime | None = None
    changeable_until: datetime

    @staticmethod
    def resolve_of(obj: Rating) -> str:
        return "chat" if obj.chat_id else "resolution"

    @staticmethod
    def resolve_resolved_at(obj: Rating) -> datetime | None:
        return obj.resolution.resolved_at if obj.resolution else None

    @staticmethod
    def resolve_rated_at(obj: Rating) -> datetime:
        return obj.created_at

    @staticmethod
    def resolve_changeable_until(obj: Rating) -> datetime:
        return obj.created_at + timedelta(days=CHANGE_DAYS)
