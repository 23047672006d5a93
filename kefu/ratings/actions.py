"""The only code that writes resolutions and ratings.

A rating is the customer's (the requester, or a customer of the organisation who can see the
ticket): one per resolution, or per chat; changed within ``CHANGE_DAYS``. Each rating, and each
change, is recorded as a ``rated`` event on the ticket, so what follows it — the QA review of an
unsatisfied one and the team lead's notification (``escalation.followers``), the report fact,
webhooks — is listed in ``kefu.flow`` like every other change.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.access import Viewer
from kefu.errors import Forbidden, Invalid, InvalidTransition
from kefu.intake.models import ChatSession
from kefu.notifications.texts import format_instant
from kefu.ratings.models import Rating, Resolution, Score
from kefu.sla.clock import add_working_days
from kefu.sla.specs import calendar_for
from kefu.tickets.actions import record_event
from kefu.tickets.models import EventKind, Status, Ticket
from kefu.tickets.work import atomic_unit

CHANGE_DAYS = 7
MAX_COMMENT = 2000
RATEABLE = (Status.RESOLVED, Status.CLOSED)


def auto_close_days() -> int:
    return max(1, int(getattr(settings, "KEFU_AUTO_CLOSE_WORKING_DAYS", 3)))


def auto_close_calendar() -> str:
    return str(getattr(settings, "KEFU_AUTO_CLOSE_CALENDAR", "cn-standard"))


def window_for(resolved_at: datetime) -> tuple[datetime | None, datetime]:
    """When to remind (one working day before; none when the window is one day) and close."""
    calendar = calendar_for([auto_close_calendar()], around=resolved_at)
    days = auto_close_days()
    close_at = add_working_days(calendar, resolved_at, days)
    remind_at = add_working_days(calendar, resolved_at, days - 1) if days > 1 else None
    return remind_at, close_at


def open_window(*, ticket: Ticket) -> Resolution:
    """The ticket was resolved: wait for the customer, and close by itself when they do not."""
    assert ticket.resolved_at is not None
    remind_at, close_at = window_for(ticket.resolved_at)
    resolution, _created = Resolution.objects.get_or_create(
        ticket=ticket,
        resolved_at=ticket.resolved_at,
        defaults={"remind_at": remind_at, "close_at": close_at},
    )
    return resolution


def end_window(*, ticket: Ticket, state: str, resolved_at: datetime | None) -> Resolution | None:
    """The resolution was confirmed, closed or reopened: its timers stop. Returns the waiting
    resolution it ended (None when there was none: already ended, or from before the window)."""
    if resolved_at is None:
        return None
    waiting = Resolution.objects.filter(
        ticket=ticket, resolved_at=resolved_at, state=Resolution.State.WAITING
    )
    resolution = waiting.first()
    if resolution is None or not waiting.filter(pk=resolution.pk).update(
        state=state, ended_at=timezone.now()
    ):
        return None
    resolution.state = state
    return resolution


def claim_reminder(resolution_id: int, now: datetime) -> bool:
    return (
        Resolution.objects.filter(
            pk=resolution_id,
            state=Resolution.State.WAITING,
            reminded_at__isnull=True,
            remind_at__lte=now,
        ).update(reminded_at=now)
        == 1
    )


def claim_auto_close(resolution_id: int, now: datetime) -> bool:
    return (
        Resolution.objects.filter(
            pk=resolution_id, state=Resolution.State.WAITING, close_at__lte=now
        ).update(state=Resolution.State.AUTO_CLOSED, ended_at=now)
        == 1
    )


def _check_score(score: str, comment: str) -> str:
    if score not in Score.values:
        raise Invalid(_("Choose satisfied, neutral or unsatisfied."), field="score")
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise Invalid(
            _("The comment may be at most %(max)s characters long.") % {"max": MAX_COMMENT},
            field="comment",
        )
    return comment


def _check_rater(ticket: Ticket, actor: Viewer) -> None:
    """Customers rate; staff, the bot and the system do not."""
    if actor.user is None or actor.is_agent or actor.system:
        raise Forbidden(_("Only the customer can rate a ticket."), field="score")
    if actor.user.pk != ticket.requester_id and not actor.is_customer:
        raise Forbidden(_("Only the customer can rate a ticket."), field="score")


def _check_changeable(rating: Rating, now: datetime) -> None:
    until = rating.created_at + timedelta(days=CHANGE_DAYS)
    if now > until:
        error = InvalidTransition(
            _(
                "A rating can be changed for %(days)s days; "
                "this one could be changed until %(when)s."
            )
            % {"days": CHANGE_DAYS, "when": format_instant(until)},
            field="score",
        )
        error.code = "rating_final"
        raise error


def _record(ticket: Ticket, actor: Viewer, rating: Rating, old: str | None) -> None:
    data: dict[str, object] = {"comment": rating.comment, "via": rating.via, "rating": rating.pk}
    if rating.chat_id is not None:
        data["chat"] = rating.chat_id
    if rating.resolution_id is not None:
        data["resolution"] = rating.resolution_id
    record_event(ticket, actor, EventKind.RATED, old=old, new=rating.score, data=data)


def _save(
    rating: Rating | None, actor: Viewer, score: str, comment: str, **new: object
) -> tuple[Rating, str | None]:
    now = timezone.now()
    if rating is None:
        created = Rating.objects.create(
            score=score, comment=comment, rated_by=actor.user, created_at=now, **new
        )
        return created, None
    _check_changeable(rating, now)
    old = rating.score
    rating.score, rating.comment, rating.rated_by, rating.changed_at = (
        score,
        comment,
        actor.user,
        now,
    )
    rating.save(update_fields=["score", "comment", "rated_by", "changed_at"])
    return rating, old


class NotRateable(InvalidTransition):
    code = "not_resolved"


@atomic_unit
def rate_ticket(
    *, ticket: Ticket, actor: Viewer, score: str, comment: str = "", via: str
) -> tuple[Rating, bool]:
    """Rate the ticket's latest resolution (or change that rating). Returns it, and whether it
    is new. Refused (409) while the ticket is not resolved or closed."""
    _check_rater(ticket, actor)
    comment = _check_score(score, comment)
    locked = Ticket.objects.select_for_update().filter(pk=ticket.pk)
    status, resolved_at = locked.values_list("status", "resolved_at").get()
    if status not in RATEABLE or resolved_at is None:
        raise NotRateable(
            _(
                "Ticket %(number)s is not resolved yet: "
                "you can rate it once support has resolved it."
            )
            % {"number": ticket.number},
            field="status",
        )
    ticket.status, ticket.resolved_at = status, resolved_at
    resolution = Resolution.objects.filter(ticket=ticket, resolved_at=resolved_at).first()
    if resolution is None:  # resolved before windows were kept: it is rated all the same
        resolution = open_window(ticket=ticket)
        if status == Status.CLOSED:
            end_window(ticket=ticket, state=Resolution.State.CLOSED, resolved_at=resolved_at)
    existing = Rating.objects.filter(resolution=resolution).first()
    rating, old = _save(
        existing, actor, score, comment, ticket=ticket, resolution=resolution, via=via
    )
    _record(ticket, actor, rating, old)
    return rating, existing is None


@atomic_unit
def rate_chat(
    *, session: ChatSession, actor: Viewer, score: str, comment: str = ""
) -> Rating | None:
    """The visitor's rating at the end of a chat, kept like a ticket's (None without a ticket)."""
    comment = _check_score(score, comment)
    if session.ticket is None:
        return None
    existing = Rating.objects.filter(chat=session).first()
    rating, old = _save(
        existing, actor, score, comment, ticket=session.ticket, chat=session, via=Rating.Via.CHAT
    )
    _record(session.ticket, actor, rating, old)
    return rating
