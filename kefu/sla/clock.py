"""Business-time arithmetic for SLA clocks over ``kefu.sla.calendars`` specs. Pure, no Django.

Instants are handled as integer microseconds since the Unix epoch, so DST is exact: each local
date's wall-clock hours are converted to instants once (09:00-18:00 is nine real hours on a DST
switch day too) and cached on the calendar, grouped by UTC day. A union of calendars in different
zones merges into the same UTC-day groups. Reuse one spec for many computations: its caches are
what makes the arithmetic fast.

Targets:

* ``3m``, ``90m``, ``24h``, ``1h30m`` count open time only (reduced weekend and holiday hours too).
* ``1d``, ``5d`` count working days (issue 5): the due instant is the same local time on the Nth
  working day after the start, or after the next opening when the clock starts outside hours,
  clamped between that day's first opening and last close (to its close when the day is shorter).
  Reduced-hours days are open but are not working days: a ``cn-chat`` clock started at 12:26 on
  a National Day holiday with ``7d`` is due at 12:26 on the 7th working day after it, while on
  ``cn-standard`` (closed that day) it counts from the next opening, 09:00 on 8 October. For a
  union the primary (first) calendar's hours and working days count.

Pauses (e.g. pending_customer) are spans of instants during which a clock does not run; the end
of the last span may be ``None`` while the clock is still paused. A paused working-day clock is
extended by the working time it spent paused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from kefu.sla.calendars import BilingualError, Calendar, CalendarSpec, CalendarUnion

DAY_US = 86_400_000_000
MAX_IDLE_DAYS = 3700  # ten years without open time: the calendar never opens
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = _EPOCH.date().toordinal()
_ONE_US = timedelta(microseconds=1)
_FOREVER = 2**62  # end of a pause that has not ended

Span = tuple[int, int]
DaySpans = tuple[tuple[Span, ...], int]  # sorted disjoint spans and their total length
Pause = tuple[datetime, datetime | None]


@dataclass(frozen=True, slots=True)
class Target:
    """An SLA target: open minutes, or working days (never both)."""

    minutes: int = 0
    working_days: int = 0

    def __post_init__(self) -> None:
        one_kind = bool(self.minutes) != bool(self.working_days)
        if not one_kind or min(self.minutes, self.working_days) < 0:
            raise ValueError(f"{self!r}: give a positive number of minutes or of working days")

    def __str__(self) -> str:
        if self.working_days:
            return f"{self.working_days}d"
        hours, minutes = divmod(self.minutes, 60)
        return (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes or not hours else "")


_TARGET = re.compile(r"^(?:(?P<d>\d+)d|(?=\d)(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?)$")


@lru_cache(maxsize=512)
def parse_target(text: str) -> Target:
    """``3m``, ``90m``, ``24h``, ``1h30m`` (open time) or ``1d``, ``5d`` (working days)."""
    match = _TARGET.match(text.strip().lower().replace(" ", ""))
    if match:
        days, hours, minutes = (int(match[g] or 0) for g in "dhm")
        if days or hours or minutes:
            return Target(minutes=hours * 60 + minutes, working_days=days)
    raise BilingualError(
        f"target {text!r}: use a positive number with m, h or d, e.g. 3m, 24h, 1h30m, 5d",
        f"目标 {text!r}：应为正数加 m、h 或 d，例如 3m、24h、1h30m、5d",
    )


def _as_target(target: Target | str) -> Target:
    return parse_target(target) if isinstance(target, str) else target


# --- instants ----------------------------------------------------------------------------------


def _to_us(at: datetime) -> int:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{at!r}: a timezone-aware datetime is required")
    return (at - _EPOCH) // _ONE_US


def _from_us(instant: int, zone: ZoneInfo) -> datetime:
    return (_EPOCH + timedelta(microseconds=instant)).astimezone(zone)


def _zone(calendar: Calendar) -> ZoneInfo:
    zone = calendar._cache.get("zone")
    if zone is None:
        zone = calendar._cache["zone"] = ZoneInfo(calendar.zone)
    return zone


def _never_opens(calendar: Calendar) -> BilingualError:
    return BilingualError(
        f"calendar {calendar.code}: no open time within {MAX_IDLE_DAYS} days",
        f"日历 {calendar.code}：{MAX_IDLE_DAYS} 天内没有任何营业时间",
    )


def _local_spans(spec: CalendarSpec, on: date) -> tuple[tuple[Span, ...], bool]:
    """The open spans of one local date as instants, and whether it is a working day."""
    key = ("local", on)
    cached = spec._cache.get(key)
    if cached is None:
        day = spec.day(on)
        zone = _zone(spec)
        spans = ((_wall_us(on, s, zone), _wall_us(on, e, zone)) for s, e in day.hours)
        cached = spec._cache[key] = (tuple(s for s in spans if s[0] < s[1]), day.working)
    return cached


def _wall_us(on: date, minute: int, zone: ZoneInfo) -> int:
    """A local wall-clock minute of a date as an instant (24:00 is the next midnight). A time in a
    spring-forward gap maps past the gap, as ``zoneinfo`` does with ``fold=0``."""
    local = datetime.combine(on, time(), tzinfo=zone) + timedelta(minutes=minute)
    return _to_us(local)


# --- the open timeline -------------------------------------------------------------------------


def _merge(spans: Iterable[Span]) -> tuple[Span, ...]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


class _Timeline:
    """Open spans of one or more calendars, grouped and cached by UTC day number."""

    def __init__(self, calendar: Calendar, specs: tuple[CalendarSpec, ...], working: bool) -> None:
        self._calendar = calendar
        self._specs = specs
        self._working_only = working
        self._days: dict[int, DaySpans] = {}

    def day(self, number: int) -> DaySpans:
        cached = self._days.get(number)
        if cached is None:
            cached = self._days[number] = self._build_day(number)
        return cached

    def _build_day(self, number: int) -> DaySpans:
        low, high = number * DAY_US, (number + 1) * DAY_US
        pieces = []
        for spec in self._specs:
            # UTC offsets lie within ±14 h, so only the neighbouring local dates can reach in.
            for local in range(number - 1, number + 2):
                spans, working = _local_spans(spec, date.fromordinal(_EPOCH_ORDINAL + local))
                if working or not self._working_only:
                    pieces += [
                        (max(s, low), min(e, high)) for s, e in spans if s < high and e > low
                    ]
        merged = _merge(pieces)
        return merged, sum(e - s for s, e in merged)

    def advance(self, start: int, amount: int) -> int:
        """The instant at which ``amount`` of open time has passed since ``start``."""
        number = start // DAY_US
        for s, e in self.day(number)[0]:
            if e > start:
                s = max(s, start)
                if e - s >= amount:
                    return s + amount
                amount -= e - s
        idle = 0
        while idle < MAX_IDLE_DAYS:
            number += 1
            spans, total = self.day(number)
            if total < amount:  # the whole day is used up; skip it without walking its spans
                amount -= total
                idle = 0 if total else idle + 1
                continue
            for s, e in spans:
                if e - s >= amount:
                    return s + amount
                amount -= e - s
        raise _never_opens(self._calendar)

    def open_between(self, start: int, end: int) -> int:
        if end <= start:
            return 0
        total = 0
        for number in range(start // DAY_US, (end - 1) // DAY_US + 1):
            spans, day_total = self.day(number)
            if start <= number * DAY_US and (number + 1) * DAY_US <= end:
                total += day_total
            else:
                total += sum(max(0, min(e, end) - max(s, start)) for s, e in spans)
        return total

    def next_open(self, at: int) -> int:
        number = at // DAY_US
        for offset in range(MAX_IDLE_DAYS):
            for s, e in self.day(number + offset)[0]:
                if e > at:
                    return max(s, at)
        raise _never_opens(self._calendar)


def _primary(calendar: Calendar) -> CalendarSpec:
    return calendar.calendars[0] if isinstance(calendar, CalendarUnion) else calendar


def _timeline(calendar: Calendar, working_only: bool = False) -> _Timeline:
    key = ("timeline", working_only)
    timeline = calendar._cache.get(key)
    if timeline is None:
        if working_only:
            specs: tuple[CalendarSpec, ...] = (_primary(calendar),)
        else:
            specs = calendar.calendars if isinstance(calendar, CalendarUnion) else (calendar,)
        timeline = calendar._cache[key] = _Timeline(calendar, specs, working_only)
    return timeline


# --- queries -----------------------------------------------------------------------------------


def is_open(calendar: Calendar, at: datetime) -> bool:
    instant = _to_us(at)
    spans, _ = _timeline(calendar).day(instant // DAY_US)
    return any(s <= instant < e for s, e in spans)


def next_open(calendar: Calendar, at: datetime) -> datetime:
    """``at`` itself when open, else the next opening, in the calendar's zone."""
    return _from_us(_timeline(calendar).next_open(_to_us(at)), _zone(calendar))


def add_open_time(calendar: Calendar, start: datetime, amount: timedelta) -> datetime:
    """The instant when ``amount`` of open time has passed since ``start``."""
    instant = _timeline(calendar).advance(_to_us(start), amount // _ONE_US)
    return _from_us(instant, _zone(calendar))


def add_working_days(calendar: Calendar, start: datetime, days: int) -> datetime:
    """The same local time on the ``days``-th working day after ``start``, or after the next
    opening (reduced hours too) when ``start`` is outside hours, clamped between that day's first
    opening and last close."""
    spec, zone = _primary(calendar), _zone(calendar)
    point, first_day = _next_opening(spec, _to_us(start))
    wall = _from_us(point, zone)
    time_of_day = wall - wall.replace(hour=0, minute=0, second=0, microsecond=0)
    due_day = _nth_working_day(spec, first_day, days)
    hours = spec.day(due_day).hours
    opens, closes = timedelta(minutes=hours[0][0]), timedelta(minutes=hours[-1][1])
    local = datetime.combine(due_day, time(), tzinfo=zone) + min(max(time_of_day, opens), closes)
    return _from_us(_to_us(local), zone)


def _next_opening(spec: CalendarSpec, at: int) -> tuple[int, date]:
    """``at`` when the calendar is open then, else its next opening; and that local date."""
    first = _from_us(at, _zone(spec)).date()
    for offset in range(MAX_IDLE_DAYS):
        on = first + timedelta(days=offset)
        spans, _ = _local_spans(spec, on)
        for s, e in spans:
            if e > at:
                return max(s, at), on
    raise _never_opens(spec)


def _nth_working_day(spec: CalendarSpec, after: date, count: int) -> date:
    on = after
    for _ in range(count):
        on = _next_working_day(spec, on)
    return on


def _next_working_day(spec: CalendarSpec, after: date) -> date:
    key = ("next working day", after)
    found = spec._cache.get(key)
    if found is None:
        for offset in range(1, MAX_IDLE_DAYS):
            spans, working = _local_spans(spec, after + timedelta(days=offset))
            if working and spans:
                found = spec._cache[key] = after + timedelta(days=offset)
                return found
        raise _never_opens(spec)
    return found


# --- clocks with pauses ------------------------------------------------------------------------


def _pause_spans(pauses: Sequence[Pause]) -> tuple[Span, ...]:
    return _merge((_to_us(s), _FOREVER if e is None else _to_us(e)) for s, e in pauses)


def _paused_open_time(timeline: _Timeline, paused: tuple[Span, ...], start: int, end: int) -> int:
    return sum(timeline.open_between(max(s, start), min(e, end)) for s, e in paused)


def _walk(timeline: _Timeline, start: int, amount: int, paused: tuple[Span, ...]) -> int | None:
    """Like ``advance`` but the clock stops during ``paused``; ``None`` while still paused."""
    cursor, remaining = start, amount
    for pause_start, pause_end in paused:
        if pause_end <= cursor:
            continue
        if pause_start > cursor:
            available = timeline.open_between(cursor, pause_start)
            if available >= remaining:
                return timeline.advance(cursor, remaining)
            remaining -= available
        if pause_end == _FOREVER:
            return None
        cursor = pause_end
    return timeline.advance(cursor, remaining)


def budget(calendar: Calendar, start: datetime, target: Target | str) -> timedelta:
    """The open time a clock started at ``start`` may use: the target itself for minute targets,
    the working time up to the unpaused due instant for working-day targets."""
    target = _as_target(target)
    if not target.working_days:
        return timedelta(minutes=target.minutes)
    due = add_working_days(calendar, start, target.working_days)
    return timedelta(
        microseconds=_timeline(calendar, True).open_between(_to_us(start), _to_us(due))
    )


def due_at(
    calendar: Calendar,
    start: datetime,
    target: Target | str,
    *,
    pauses: Sequence[Pause] = (),
    share: float = 1.0,
) -> datetime | None:
    """When a clock started at ``start`` reaches ``share`` of its target (1.0: the breach, 0.75:
    the warning), given its pauses; ``None`` while the clock is paused before that point."""
    target = _as_target(target)
    timeline = _timeline(calendar, working_only=bool(target.working_days))
    start_us, paused = _to_us(start), _pause_spans(pauses)
    if target.working_days:
        exact = add_working_days(calendar, start, target.working_days)
        exact_us = _to_us(exact)
        if share == 1.0 and not _paused_open_time(timeline, paused, start_us, exact_us):
            return exact
        amount = timeline.open_between(start_us, exact_us)
    else:
        amount = target.minutes * 60_000_000
    instant = _walk(timeline, start_us, round(amount * share), paused)
    return None if instant is None else _from_us(instant, _zone(calendar))


def open_time_between(
    calendar: Calendar,
    start: datetime,
    end: datetime,
    *,
    pauses: Sequence[Pause] = (),
    working_only: bool = False,
) -> timedelta:
    """Open time from ``start`` to ``end`` outside ``pauses`` (working days only if asked)."""
    timeline = _timeline(calendar, working_only)
    start_us, end_us = _to_us(start), _to_us(end)
    paused = _paused_open_time(timeline, _pause_spans(pauses), start_us, end_us)
    return timedelta(microseconds=max(0, timeline.open_between(start_us, end_us) - paused))


def remaining(
    calendar: Calendar,
    start: datetime,
    target: Target | str,
    now: datetime,
    *,
    pauses: Sequence[Pause] = (),
) -> timedelta:
    """Open time left before the breach (negative once breached): budget minus elapsed."""
    target = _as_target(target)
    working_only = bool(target.working_days)
    used = open_time_between(calendar, start, now, pauses=pauses, working_only=working_only)
    return budget(calendar, start, target) - used


def due_iso(calendar: Calendar, start: datetime | str, target: Target | str) -> str:
    """The due instant as ISO 8601 with the calendar's offset, e.g. for ``kefu sla due``."""
    if isinstance(start, str):
        start = datetime.fromisoformat(start)
    due = due_at(calendar, start, target)
    assert due is not None  # only a pause can leave a clock without a due instant
    return due.isoformat()
