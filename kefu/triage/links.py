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
from kefu.tickets.work import unit_store

try:
    from kefu.sla import models as sla_models
    from kefu.sla import queries as sla_queries
except ImportError:  # pragma: no cover - the SLA app is part of the product
    sla_models = sla_queries = None  # type: ignore[assignment]


def is_on_shift(agent: Agent, at: datetime) -> bool:
    if sla_queries is None:
        return agent.status != Agent.Status.OFFLINE
    return sla_queries.is_on_shift(agent, at)


def nearest_due(ticket_ids: Iterable[int]) -> dict[int, datetime]:
    """Each ticket's earliest due time among its ticking SLA clocks (one query), as a rebuild
    of its clocks in this unit of work left them when there was one."""
    ids = list(ticket_ids)
    if sla_models is None or sla_queries is None or not ids:
        return {}
    rebuilt = unit_store(sla_queries.NEAREST_DUE) or {}
    if all(i in rebuilt for i in ids):
        return {i: rebuilt[i] for i in ids if rebuilt[i] is not None}
    ticking = sla_queries.TICKING
    rows = (
        sla_models.SlaClock.objects.filter(
            ticket_id__in=ids, state__in=ticking, due_at__isnull=False
        )
        .values("ticket_id")
        .annotate(due=Min("due_at"))
    )
    return {row["ticket_id"]: row["due"] for row in rows}
