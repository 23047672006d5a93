"""What triage reads from the SLA app: agents' shifts and tickets' nearest due times.

Kept in one place so triage works (with plain fallbacks) while the SLA app is absent or being
replaced: on shift falls back to "availability is not offline", due times to none (the score
then ranks by waiting time alone). With the SLA app, the agent's shift calendar decides alone:
nothing sets the availability flag yet, and its default is "offline".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Min

from kefu.accounts.models import Agent

try:
    from kefu.sla.models import SlaClock
    from kefu.sla.queries import TICKING
    from kefu.sla.queries import is_on_shift as _calendar_on_shift
except ImportError:  # pragma: no cover - the SLA app is part of the product
    SlaClock = None  # type: ignore[assignment,misc]
    TICKING = ()
    _calendar_on_shift = None


def is_on_shift(agent: Agent, at: datetime) -> bool:
    if _calendar_on_shift is None:
        return agent.status != Agent.Status.OFFLINE
    return _calendar_on_shift(agent, at)


def nearest_due(ticket_ids: Iterable[int]) -> dict[int, datetime]:
    """Each ticket's earliest due time among its ticking SLA clocks (one query)."""
    ids = list(ticket_ids)
    if SlaClock is None or not ids:
        return {}
    rows = (
        SlaClock.objects.filter(ticket_id__in=ids, state__in=TICKING, due_at__isnull=False)
        .values("ticket_id")
        .annotate(due=Min("due_at"))
    )
    return {row["ticket_id"]: row["due"] for row in rows}
