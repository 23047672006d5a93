"""API shapes of nudges and complaints."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import StringConstraints


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
