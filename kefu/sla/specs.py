"""Calendars from the database as ``CalendarSpec``s, cached per process under their data version.

A spec covers the years around the moment it is needed for (``years_around``). The cache key holds
the calendar's ``version``, which grows on every change to the calendar or its dates. The versions
themselves are read once per few seconds (as the SLA policies are), so another process's edit is
seen within that time; this process's edits clear both caches at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from kefu.lib.process_cache import ProcessCache
from kefu.sla.calendars import (
    BilingualError,
    BilingualText,
    Calendar,
    CalendarSpec,
    DateException,
    build_calendar,
    coverage_warnings,
    parse_hours,
    union,
    years_around,
)
from kefu.sla.models import BusinessCalendar, CalendarDate

CACHE_SIZE = 256
_cache: OrderedDict[tuple, Calendar] = OrderedDict()
_lock = threading.Lock()


class UnknownCalendar(BilingualError):
    def __init__(self, code: str) -> None:
        super().__init__(f"calendar {code!r} does not exist", f"日历 {code!r} 不存在")


def clear_cache() -> None:
    with _lock:
        _cache.clear()
    _versions.forget()


def _remember(key: tuple, calendar: Calendar) -> Calendar:
    with _lock:
        _cache[key] = calendar
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return calendar


def _cached(key: tuple) -> Calendar | None:
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
        return found


def build_spec(calendar: BusinessCalendar, years: Iterable[int]) -> CalendarSpec:
    """The spec of a stored calendar for ``years``, with its admin-entered dates."""
    closed: list[date] = []
    makeup: list[date] = []
    exceptions: list[DateException] = []
    for entry in calendar.dates.all():
        if entry.kind == CalendarDate.Kind.HOLIDAY:
            closed.append(entry.day)
        elif entry.kind == CalendarDate.Kind.MAKEUP:
            makeup.append(entry.day)
        elif entry.kind == CalendarDate.Kind.CLOSED:
            exceptions.append(DateException(entry.day))
        else:
            working = entry.kind == CalendarDate.Kind.HOURS
            exceptions.append(DateException(entry.day, parse_hours(entry.hours), working))
    return build_calendar(
        calendar.template(),
        years=years,
        exceptions=exceptions,
        extra_closed_dates=closed,
        extra_makeup_dates=makeup,
        arranged_years=calendar.arranged_years or (),
    )


def _load_versions() -> list[tuple[str, int]]:
    return list(BusinessCalendar.objects.values_list("code", "version"))


# Read for every clock rebuild, changed only by calendar edits.
_versions = ProcessCache(_load_versions)


def versions(codes: Iterable[str]) -> dict[str, int]:
    """The data version of each calendar; raises for an unknown code."""
    codes = list(codes)
    found = dict(_versions.get())
    if not found.keys() >= set(codes):  # a calendar made since the last read: read again
        _versions.forget()
        found = dict(_versions.get())
    for code in codes:
        if code not in found:
            raise UnknownCalendar(code)
    return {code: found[code] for code in codes}


def calendar_for(
    codes: Sequence[str], *, around: datetime | date, known: Mapping[str, int] | None = None
) -> Calendar:
    """One calendar, or the follow-the-sun union of several (the first is primary).
    ``known`` are versions the caller already read (``versions``), saving the query."""
    years = tuple(years_around(around))
    current = known if known is not None and all(c in known for c in codes) else versions(codes)
    key = (tuple((code, current[code]) for code in codes), years)
    found = _cached(key)
    if found is not None:
        return found
    specs = [_spec(code, current[code], years) for code in codes]
    return _remember(key, union(*specs))


def _spec(code: str, version: int, years: tuple[int, ...]) -> CalendarSpec:
    key = (((code, version),), years)
    found = _cached(key)
    if isinstance(found, CalendarSpec):
        return found
    stored = BusinessCalendar.objects.prefetch_related("dates").get(code=code)
    spec = build_spec(stored, years)
    _remember(key, spec)
    return spec


def calendar_warnings(
    calendar: BusinessCalendar, *, around: datetime | date
) -> list[BilingualText]:
    """Years near ``around`` whose statutory holidays the calendar's source does not know."""
    return coverage_warnings(build_spec(calendar, years_around(around)))
