"""How the SLA app follows its own admin data: an edited calendar gets a new version."""

from __future__ import annotations

from typing import Any

from kefu.sla import actions
from kefu.sla.models import BusinessCalendar, CalendarDate


def on_calendar_saved(sender: Any, instance: BusinessCalendar, **kwargs: Any) -> None:
    actions.touch_calendar(instance.pk)


def on_calendar_date_changed(sender: Any, instance: CalendarDate, **kwargs: Any) -> None:
    actions.touch_calendar(instance.calendar_id)
