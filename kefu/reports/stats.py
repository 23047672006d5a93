"""Exact percentiles over fact rows: in SQL on PostgreSQL (``percentile_cont``), in Python on
SQLite with the same definition (linear interpolation between closest ranks), so both
databases give the same numbers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Aggregate, FloatField, QuerySet


class PercentileCont(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(%(share)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def percentile(values: Sequence[float], share: float) -> float | None:
    """``percentile_cont``: the value at rank ``share * (n - 1)``, interpolated."""
    if not values:
        return None
    ordered = sorted(values)
    rank = share * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (rank - low))


def percentiles(rows: QuerySet[Any], field: str, shares: Sequence[float]) -> list[float | None]:
    """The ``shares`` percentiles of ``field`` over ``rows`` (NULLs left out)."""
    rows = rows.filter(**{f"{field}__isnull": False})
    if connection.vendor == "postgresql":
        found = rows.aggregate(
            **{f"p{i}": PercentileCont(field, share=float(s)) for i, s in enumerate(shares)}
        )
        return [found[f"p{i}"] for i in range(len(shares))]
    values = list(rows.values_list(field, flat=True))
    return [percentile(values, s) for s in shares]


def grouped_medians(rows: QuerySet[Any], group: str, field: str) -> dict[Any, float | None]:
    """The median of ``field`` per value of ``group``."""
    rows = rows.filter(**{f"{field}__isnull": False})
    if connection.vendor == "postgresql":
        found = rows.values(group).annotate(m=PercentileCont(field, share=0.5)).order_by()
        return {row[group]: row["m"] for row in found}
    groups: dict[Any, list[float]] = {}
    for key, value in rows.values_list(group, field):
        groups.setdefault(key, []).append(value)
    return {key: percentile(values, 0.5) for key, values in groups.items()}
