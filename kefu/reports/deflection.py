"""Knowledge-base deflection: the share of self-service visits not followed by a contact.

A visit (``knowledge.SelfServiceVisit``) is one visitor's help-centre reading on one day, or one
chat in which the bot answered from an article. It was deflected when the same person did not
open a ticket (any channel but chat) or get handed from the bot to an agent within
``CONTACT_WINDOW`` (24 h) of the last article read. Visits of the period count once that window
has closed for them, so a figure does not rise while its visits can still turn into tickets.

Visits belong to no team, agent, channel, category or tier: with any of those filters the
figure is not given (None); the language filter applies (the article's language).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q

from kefu.knowledge.actions import CONTACT_WINDOW
from kefu.knowledge.models import SelfServiceVisit

if TYPE_CHECKING:  # figures imports this module
    from kefu.reports.figures import Filters, Period

SOURCES = tuple(SelfServiceVisit.Source.values)


def applies(filters: Filters) -> bool:
    return not (filters.channel or filters.tier) and (
        filters.category is None and filters.team is None and filters.agent is None
    )


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def deflection(period: Period, filters: Filters, now: datetime) -> dict[str, Any]:
    if not applies(filters):
        return {"kb_deflection_rate": None, "kb_deflection": None}
    visits = SelfServiceVisit.objects.filter(
        day__gte=period.first, day__lte=period.last, last_at__lte=now - CONTACT_WINDOW
    )
    if filters.language:
        visits = visits.filter(language=filters.language)
    deflected = Q(contacted_at__isnull=True)
    counts = visits.aggregate(
        visits=Count("pk"),
        deflected=Count("pk", filter=deflected),
        **{f"{s}_visits": Count("pk", filter=Q(source=s)) for s in SOURCES},
        **{f"{s}_deflected": Count("pk", filter=Q(source=s) & deflected) for s in SOURCES},
    )
    return {
        "kb_deflection_rate": _rate(counts["deflected"], counts["visits"]),
        "kb_deflection": {
            "visits": counts["visits"],
            "deflected": counts["deflected"],
            **{f"{s}_rate": _rate(counts[f"{s}_deflected"], counts[f"{s}_visits"])
               for s in SOURCES},
        },
    }  # fmt: skip
