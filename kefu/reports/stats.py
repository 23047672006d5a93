"""Exact percentiles over fact rows: in SQL on PostgreSQL (``percentile_cont``), in Python on
SQLite with the same definition (linear interpolation between closest ranks), so both
databases give the same numbers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection
from django.db.models import Aggregate, FloatField, QuerySet


class PercentileCont(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(%(share)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class PercentilesCont(Aggregate):
    """Several percentiles of one column from a single sort (PostgreSQL's array form)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(ARRAY[%(shares)s]::float8[]) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression: str, shares: Sequence[float], **extra: Any) -> None:
        from django.contrib.postgres.fields import ArrayField

        listed = ", ".join(str(float(s)) for s in shares)
        super().__init__(expression, shares=listed, output_field=ArrayField(FloatField()), **extra)


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


def in_sql() -> bool:
    return connection.vendor == "postgresql"


def _alias(field: str) -> str:
    return f"percentiles_{field}"


def percentile_aggregates(wanted: Mapping[str, Sequence[float]]) -> dict[str, Aggregate]:
    """On PostgreSQL, the percentiles as aggregates to fold into one ``aggregate()`` call with
    the counts (one pass over the rows; ``percentile_cont`` leaves NULLs out); else none."""
    if not in_sql():
        return {}
    return {_alias(field): PercentilesCont(field, shares) for field, shares in wanted.items()}


def percentiles_of(
    rows: QuerySet[Any], wanted: Mapping[str, Sequence[float]], found: dict[str, Any]
) -> dict[str, list[float | None]]:
    """Each field's percentiles: from ``found`` (an ``aggregate()`` result that included
    ``percentile_aggregates(wanted)``) on PostgreSQL, computed here on SQLite."""
    if in_sql():
        return {field: list(found[_alias(field)] or [None] * len(shares))
                for field, shares in wanted.items()}  # fmt: skip
    return {field: percentiles(rows, field, shares) for field, shares in wanted.items()}


def list_percentiles(
    rows: QuerySet[Any], field: str, shares: Sequence[float]
) -> list[float | None]:
    """Percentiles over every number in the JSON lists in ``field`` of ``rows``: unnested in SQL
    on PostgreSQL (no list crosses the wire), in Python on SQLite."""
    if in_sql():
        # Rows with an empty list add nothing: leaving them out lets PostgreSQL read only the
        # partial index of facts that have some (``fact_next_responses``).
        sql, params = rows.exclude(**{field: []}).values(field).query.sql_with_params()
        columns = ", ".join(
            f"PERCENTILE_CONT({float(s)}) WITHIN GROUP (ORDER BY item::bigint)" for s in shares
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns} FROM ({sql}) AS picked(items), "  # the query Django compiled
                "jsonb_array_elements_text(picked.items) AS item",
                params,
            )
            return list(cursor.fetchone())
    values = [v for items in rows.values_list(field, flat=True) for v in items or ()]
    return [percentile(values, s) for s in shares]
