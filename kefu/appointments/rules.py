"""The charter's rules for offline visits, on the Chinese business calendar (``cn-standard``):
a visit is booked at least 3 working days ahead, on a working day while the centre is open, and
the centre confirms (or declines) within 2 working days; staff are warned when one working day
is left. A booking at a site must start one of the site's slots (its weekly opening windows,
on the working days of its calendar) that still has room."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from kefu.appointments.models import OpeningWindow, Site
from kefu.errors import Invalid
from kefu.sla import clock
from kefu.sla.calendars import Calendar, CalendarUnion
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


def check_slot(slot: datetime | None, *, now: datetime, hours: bool = True) -> None:
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
    if hours and not clock.is_open(calendar(slot), slot):
        raise Invalid(
            _(
                "The centre receives visitors on working days during opening hours; "
                "%(slot)s is outside them. Choose another time."
            )
            % {"slot": f"{local:%Y-%m-%d %H:%M}"},
            field="slot",
        )


NO_SHOW_HOURS = 4  # a confirmed visit nobody arrived for is a no-show this long after its slot
REMIND_BEFORE = timedelta(days=1)  # the customer is reminded the day before


def site_zone(site: Site) -> ZoneInfo:
    return ZoneInfo(calendar_for([site.calendar], around=date.today()).zone)


def window_for(site: Site, slot: datetime) -> OpeningWindow | None:
    """The site's opening window ``slot`` starts a slot of, or None."""
    local = slot.astimezone(site_zone(site))
    if local.second or local.microsecond:
        return None
    minute = local.hour * 60 + local.minute
    for window in site.windows.filter(weekday=local.weekday()):
        opens = window.opens.hour * 60 + window.opens.minute
        closes = window.closes.hour * 60 + window.closes.minute
        offset = minute - opens
        starts_a_slot = offset >= 0 and offset % window.slot_minutes == 0
        if starts_a_slot and minute + window.slot_minutes <= closes:
            return window
    return None


def windows_text(site: Site) -> str:
    """The site's windows as people read them: "Monday 09:00–12:00, …"."""
    return ", ".join(str(window) for window in site.windows.all()) or "—"


def check_site_slot(site: Site, slot: datetime, *, taken: int) -> None:
    """``Invalid`` on ``slot`` unless it starts one of the site's slots, on a working day of the
    site's calendar, with room left (``taken`` visits already hold it)."""
    local = slot.astimezone(site_zone(site))
    window = window_for(site, slot)
    if window is None:
        raise Invalid(
            _(
                "%(slot)s is not one of the bookable slots of %(site)s. "
                "Its opening windows: %(windows)s."
            )
            % {"slot": f"{local:%Y-%m-%d %H:%M}", "site": site.name, "windows": windows_text(site)},
            field="slot",
        )
    cal = calendar_for([site.calendar], around=slot)
    primary = cal.calendars[0] if isinstance(cal, CalendarUnion) else cal
    if not primary.day(local.date()).working:
        raise Invalid(
            _("%(day)s is not a working day at %(site)s. Choose another day.")
            % {"day": f"{local:%Y-%m-%d}", "site": site.name},
            field="slot",
        )
    if taken >= window.capacity:
        raise Invalid(
            _("The slot at %(slot)s is full. Choose another slot.")
            % {"slot": f"{local:%Y-%m-%d %H:%M}"},
            field="slot",
        )
