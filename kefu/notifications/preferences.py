"""Who is told what, by default, and how a person's own choice changes that.

Staff hear about their tickets and escalations in the workspace; mail only where the escalation
path asks for it (or they choose it). Customers hear about each step of their tickets in the
portal and by mail. The on-duty page always goes by mail: an emergency must reach a lead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kefu.accounts.models import User
from kefu.notifications.models import Kind, Preference

STAFF_KINDS = (
    Kind.ASSIGNED, Kind.CUSTOMER_REPLY, Kind.SLA_WARNING, Kind.SLA_BREACH, Kind.URGENT,
    Kind.EMERGENCY, Kind.PAGE, Kind.ESCALATED, Kind.SURGE, Kind.NUDGE, Kind.COMPLAINT,
    Kind.QA_REVIEW, Kind.QA_OVERDUE, Kind.QA_RESULT, Kind.QA_APPEAL, Kind.WEBHOOK_DISABLED,
    Kind.UNSATISFIED,
)  # fmt: skip
CUSTOMER_KINDS = (
    Kind.AGENT_REPLY, Kind.PENDING, Kind.RESOLVED, Kind.REOPENED, Kind.MERGED,
    Kind.CLOSE_SOON, Kind.AUTO_CLOSED, Kind.CLOSED, Kind.WEBHOOK_DISABLED,
)  # fmt: skip
# Mailed unless the person says otherwise (the rest only when asked: an escalation level).
EMAIL_BY_DEFAULT = frozenset(
    {
        Kind.PENDING,
        Kind.RESOLVED,
        Kind.REOPENED,
        Kind.MERGED,
        Kind.CLOSE_SOON,
        Kind.AUTO_CLOSED,
        Kind.CLOSED,
        Kind.WEBHOOK_DISABLED,
    }
)
ALWAYS_EMAIL = frozenset({Kind.PAGE})


@dataclass(frozen=True)
class Channels:
    in_app: bool
    email: bool
    browser: bool = False  # a desktop notification from an open page (kefu/static/kefu/notify.js)


def kinds_for(user: User) -> tuple[Kind, ...]:
    return STAFF_KINDS if getattr(user, "agent", None) is not None else CUSTOMER_KINDS


def default(kind: str, *, email_asked: bool = False) -> Channels:
    return Channels(in_app=True, email=email_asked or kind in EMAIL_BY_DEFAULT)


def channels_for(
    users: Iterable[User], kind: str, *, email_asked: bool = False
) -> dict[int, Channels]:
    """Each user's channels for ``kind`` (one query for all of them)."""
    users = list(users)
    chosen = {
        p.user_id: Channels(p.in_app, p.email or kind in ALWAYS_EMAIL, p.browser)
        for p in Preference.objects.filter(user__in=users, kind=kind)
    }
    fallback = default(kind, email_asked=email_asked)
    return {user.pk: chosen.get(user.pk, fallback) for user in users}
