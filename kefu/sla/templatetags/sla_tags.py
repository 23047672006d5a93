"""``{% load sla_tags %}``: a ticket's clocks and business durations for the workspace pages."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kefu.sla.clock import parse_target
from kefu.sla.queries import ClockView, clock_views
from kefu.tickets.models import Ticket

register = template.Library()


@register.simple_tag
def ticket_clocks(ticket: Ticket) -> list[ClockView]:
    return clock_views(ticket)


@register.filter
def business_duration(value: timedelta | None) -> str:
    """``1 h 05 min`` / ``-3 min`` of business time (working time for day targets)."""
    if value is None:
        return "—"
    sign = "-" if value < timedelta(0) else ""
    minutes = int(abs(value).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(sign)s%(h)s h %(m)02d min") % {"sign": sign, "h": hours, "m": minutes}
    return _("%(sign)s%(m)s min") % {"sign": sign, "m": minutes}


@register.filter
def target_label(value: str) -> str:
    """A stored target (``5d``, ``2h``, ``1h30m``) in words: working days or business time."""
    target = parse_target(value)
    if target.working_days:
        days = target.working_days
        return ngettext("%(n)s working day", "%(n)s working days", days) % {"n": days}
    return business_duration(timedelta(minutes=target.minutes))
