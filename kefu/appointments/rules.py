"""The charter's rules for offline visits, on the Chinese business calendar (``cn-standard``):
a visit is booked at least 3 working days ahead, on a working day while the centre is open, and
the centre confirms (or declines) within 2 working days; staff are warned when one working day
is left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from kefu.errors import Invalid
from kefu.sla import clock
from kefu.sla.calendars import Calendar
from kefu.sla.specs import calendar_for

CALENDAR = "cn-standard"
LEAD_DAYS = 3  # book at least this many working days ahead
CONFIRM_DAYS = 2  # the centre answers within this many working days
WARN_DAYS = 1  # staff are warned this many working days after the request


@dataclass(frozen=True)
class Deadlines:
    confirm_due_at: datetime
    warn_at: datetime


def calendar(around: datetime) -> Calendar:
    return calendar_for([CALENDAR], around=around)


def zone() -> ZoneInfo:
    return ZoneInfo(calendar_for([CALENDAR], around=date.today()).zone)


def deadlines(requested_at: datetime) -> Deadlines:
    """When the centre must have answered, and when staff are warned it has not."""
    cal = calendar(requested_at)
    return Deadlines(
        confirm_due_at=clock.add_working_days(cal, requested_at, CONFIRM_DAYS),
        warn_at=clock.add_working_days(cal, requested_at, WARN_DAYS),
    )


def earliest_day(now: datetime) -> date:
    """The first day a visit may be booked for: the 3rd working day after ``now``."""
    return clock.add_working_days(calendar(now), now, LEAD_DAYS).date()


def check_slot(slot: datetime | None, *, now: datetime) -> None:
    """``Invalid`` on ``slot`` naming the rule it breaks, in the reader's language."""
    if slot is None:
        raise Invalid(_("Choose the date and time of your visit."), field="slot")
    cal = calendar(now)
    local = slot.astimezone(ZoneInfo(cal.zone))
    first = earliest_day(now)
    if local.date() < first:
        raise Invalid(
            _(
                "Book a visit at least %(days)s working days ahead: "
                "the earliest day you can choose is %(day)s."
            )
            % {"days": LEAD_DAYS, "day": formats.date_format(first, "Y-m-d")},
            field="slot",
        )
    if not clock.is_open(calendar(slot), slot):
        raise Invalid(
            _(
                "The centre receives visitors on working days during opening hours; "
                "%(slot)s is outside them. Choose another time."
            )
            % {"slot": f"{local:%Y-%m-%d %H:%M}"},
            field="slot",
        )
