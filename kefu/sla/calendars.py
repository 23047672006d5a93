"""Business calendars as immutable specs: which hours are open on which local date.

Pure data, no Django. The database layer stores templates and admin-entered dates and turns them
into a ``CalendarSpec`` with ``build_calendar``; ``kefu.sla.clock`` does the arithmetic.

How one local date is resolved, first match wins:

1. an admin-entered ``DateException`` for that date (closes the day or gives it other hours);
2. a make-up working day (调休) opens with ``makeup_hours`` (the normal weekday hours);
3. a closed date (statutory holiday) gets ``off_day_hours`` (often none);
4. a weekday with weekly hours is a working day with those hours;
5. any other day (a weekend) gets ``off_day_hours``.

Only working days count for working-day (``Nd``) targets; ``off_day_hours`` (e.g. the chat desk's
reduced 10:00–16:00 on weekends and holidays) count for minute and hour targets only.

Holiday sources: ``chinese_calendar`` (statutory holidays and 调休, only for years the State Council
has announced) and ``holidays:<COUNTRY>[:<SUBDIV>]`` (the ``holidays`` library, observed dates).
A requested year the source does not know falls back to weekends plus admin-entered dates and is
listed in ``unknown_years`` so admins see a warning (``coverage_warnings``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import chinese_calendar
import holidays as holidays_lib

MINUTES_PER_DAY = 24 * 60
CN_SOURCE = "chinese_calendar"
COUNTRY_SOURCE_PREFIX = "holidays:"

# An open interval [start, end) in minutes after local midnight; end may be 1440 (24:00).
Interval = tuple[int, int]
Hours = tuple[Interval, ...]


class BilingualError(ValueError):
    """Bad calendar or target input; carries the message in both languages for the caller."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(f"{en} / {zh}")
        self.en = en
        self.zh = zh


@dataclass(frozen=True, slots=True)
class BilingualText:
    en: str
    zh: str


_HOURS_PART = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


def parse_hours(text: str) -> Hours:
    """``"09:00-12:00, 13:00-18:00"`` → ``((540, 720), (780, 1080))``; ``""`` means closed."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    intervals = []
    for part in parts:
        match = _HOURS_PART.match(part)
        if not match:
            raise BilingualError(
                f"hours {part!r}: write HH:MM-HH:MM, several separated by commas",
                f"营业时间 {part!r}：格式应为 HH:MM-HH:MM，多段用逗号分隔",
            )
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        intervals.append((h1 * 60 + m1, h2 * 60 + m2))
    return validate_hours(tuple(intervals))


def validate_hours(hours: Iterable[Interval]) -> Hours:
    """Sort intervals and check they are within one day, non-empty and do not overlap."""
    ordered = tuple(sorted((int(s), int(e)) for s, e in hours))
    previous_end = 0
    for start, end in ordered:
        if not 0 <= start < end <= MINUTES_PER_DAY:
            raise BilingualError(
                f"hours {format_hours(((start, end),))}: must lie within 00:00-24:00, start < end",
                f"营业时间 {format_hours(((start, end),))}：须在 00:00-24:00 之内，且开始早于结束",
            )
        if start < previous_end:
            raise BilingualError(
                f"hours {format_hours(ordered)}: intervals overlap",
                f"营业时间 {format_hours(ordered)}：时段重叠",
            )
        previous_end = end
    return ordered


def format_hours(hours: Hours) -> str:
    return ", ".join(f"{s // 60:02d}:{s % 60:02d}-{e // 60:02d}:{e % 60:02d}" for s, e in hours)


@dataclass(frozen=True, slots=True)
class DayHours:
    """How one local date is open. ``working`` days count for working-day targets."""

    hours: Hours
    working: bool


@dataclass(frozen=True, slots=True)
class DateException:
    """An admin-entered override for one date. Empty hours close it; otherwise it opens with these
    hours and, unless ``working`` is False, counts as a working day."""

    day: date
    hours: Hours = ()
    working: bool | None = None

    def resolved(self) -> DayHours:
        return DayHours(validate_hours(self.hours), bool(self.hours) and self.working is not False)


def _check_zone(zone: str) -> None:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise BilingualError(
            f"time zone {zone!r}: not an IANA time zone name such as Asia/Shanghai",
            f"时区 {zone!r}：不是有效的 IANA 时区名称（例如 Asia/Shanghai）",
        ) from error


@dataclass(frozen=True)
class CalendarSpec:
    """Everything needed to say when a calendar is open. Immutable and hashable, so the clock can
    cache per-day intervals on it (``_cache``, excluded from equality and hashing)."""

    code: str
    zone: str
    weekly: tuple[Hours, ...]  # seven entries, Monday first
    closed_dates: frozenset[date] = frozenset()
    makeup_dates: frozenset[date] = frozenset()
    exceptions: tuple[DateException, ...] = ()
    off_day_hours: Hours = ()
    makeup_hours: Hours = ()  # default: the first weekday's hours
    holiday_source: str = ""
    covered_years: frozenset[int] = frozenset()
    unknown_years: frozenset[int] = frozenset()
    _cache: dict[Any, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        _check_zone(self.zone)
        if len(self.weekly) != 7:
            raise BilingualError(
                f"calendar {self.code}: weekly hours need 7 entries, Monday first",
                f"日历 {self.code}：每周营业时间须有 7 项，从星期一开始",
            )
        object.__setattr__(self, "weekly", tuple(validate_hours(h) for h in self.weekly))
        object.__setattr__(self, "off_day_hours", validate_hours(self.off_day_hours))
        makeup = self.makeup_hours or next((h for h in self.weekly[:5] if h), ())
        object.__setattr__(self, "makeup_hours", validate_hours(makeup))
        overrides = {e.day: e.resolved() for e in self.exceptions}
        if len(overrides) != len(self.exceptions):
            raise BilingualError(
                f"calendar {self.code}: two date exceptions for the same date",
                f"日历 {self.code}：同一日期有两条例外设置",
            )
        both = self.closed_dates & self.makeup_dates
        if both:
            raise BilingualError(
                f"calendar {self.code}: {min(both)} is both a closed date and a make-up day",
                f"日历 {self.code}：{min(both)} 不能既是休息日又是调休上班日",
            )
        self._cache["overrides"] = overrides

    def day(self, on: date) -> DayHours:
        """The open hours of a local date (see the module docstring for the order of rules)."""
        override = self._cache["overrides"].get(on)
        if override is not None:
            return override
        if on in self.makeup_dates:
            return DayHours(self.makeup_hours, True)
        if on in self.closed_dates:
            return DayHours(self.off_day_hours, False)
        weekly = self.weekly[on.weekday()]
        if weekly:
            return DayHours(weekly, True)
        return DayHours(self.off_day_hours, False)


@dataclass(frozen=True)
class CalendarUnion:
    """Follow-the-sun: open whenever any member is open. The first member is the primary one: its
    zone is used for output and its working days for working-day targets."""

    calendars: tuple[CalendarSpec, ...]
    _cache: dict[Any, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        if not self.calendars:
            raise ValueError("a calendar union needs at least one calendar")

    @property
    def code(self) -> str:
        return "+".join(c.code for c in self.calendars)

    @property
    def zone(self) -> str:
        return self.calendars[0].zone


Calendar = CalendarSpec | CalendarUnion


def union(*calendars: Calendar) -> Calendar:
    """Combine calendars (flattening unions, dropping repeats); one calendar stays itself."""
    members: list[CalendarSpec] = []
    for calendar in calendars:
        for spec in calendar.calendars if isinstance(calendar, CalendarUnion) else (calendar,):
            if spec not in members:
                members.append(spec)
    return members[0] if len(members) == 1 else CalendarUnion(tuple(members))


# --- holiday sources -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HolidayData:
    closed: frozenset[date]
    makeup: frozenset[date]
    covered_years: frozenset[int]


def load_holidays(source: str, years: Iterable[int]) -> HolidayData:
    """Statutory closed dates and make-up working days of ``years`` from a named source."""
    wanted = tuple(sorted(set(years)))  # hashable, for the per-source caches
    if not source:
        return HolidayData(frozenset(), frozenset(), frozenset())
    if source == CN_SOURCE:
        return _chinese_holidays(wanted)
    if source.startswith(COUNTRY_SOURCE_PREFIX):
        country, _, subdiv = source.removeprefix(COUNTRY_SOURCE_PREFIX).partition(":")
        return _country_holidays(country, subdiv or None, wanted)
    raise BilingualError(
        f"holiday source {source!r}: use '', {CN_SOURCE!r} or 'holidays:<COUNTRY>[:<SUBDIV>]'",
        f"节假日来源 {source!r}：应为空、{CN_SOURCE!r} 或 'holidays:<国家代码>[:<地区代码>]'",
    )


def _chinese_year_known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:  # the library raises for years not yet announced
        return False
    return True


@lru_cache(maxsize=64)
def _chinese_holidays(years: tuple[int, ...]) -> HolidayData:
    known = frozenset(y for y in years if _chinese_year_known(y))
    return HolidayData(
        closed=frozenset(d for d in chinese_calendar.holidays if d.year in known),
        makeup=frozenset(d for d in chinese_calendar.workdays if d.year in known),
        covered_years=known,
    )


@lru_cache(maxsize=64)
def _country_holidays(country: str, subdiv: str | None, years: tuple[int, ...]) -> HolidayData:
    try:
        entity = holidays_lib.country_holidays(country, subdiv=subdiv)
    except NotImplementedError as error:
        raise BilingualError(
            f"holiday source: country {country!r} / subdivision {subdiv!r} is not supported",
            f"节假日来源：不支持国家 {country!r} / 地区 {subdiv!r}",
        ) from error
    known = frozenset(y for y in years if entity.start_year <= y <= entity.end_year)
    closed = holidays_lib.country_holidays(country, subdiv=subdiv, years=sorted(known))
    return HolidayData(frozenset(closed), frozenset(), known)


# --- building specs ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CalendarTemplate:
    """The admin-editable definition of a calendar, before holidays and dates are loaded."""

    code: str
    name_en: str
    name_zh: str
    zone: str
    weekly: tuple[Hours, ...]
    off_day_hours: Hours = ()
    holiday_source: str = ""


def build_calendar(
    template: CalendarTemplate,
    *,
    years: Iterable[int],
    exceptions: Iterable[DateException] = (),
    extra_closed_dates: Iterable[date] = (),
    extra_makeup_dates: Iterable[date] = (),
    arranged_years: Iterable[int] = (),
) -> CalendarSpec:
    """A spec for ``years`` from the template's holiday source plus admin-entered dates.

    ``extra_closed_dates``/``extra_makeup_dates`` are statutory dates admins entered themselves
    (next year's arrangement before the library has it); ``arranged_years`` are the years whose
    arrangement they entered completely, which silences the unknown-year warning for them.
    """
    years = frozenset(years)
    loaded = load_holidays(template.holiday_source, years)
    extra_closed, extra_makeup = frozenset(extra_closed_dates), frozenset(extra_makeup_dates)
    unknown = years - loaded.covered_years - frozenset(arranged_years)
    return CalendarSpec(
        code=template.code,
        zone=template.zone,
        weekly=template.weekly,
        closed_dates=(loaded.closed - extra_makeup) | extra_closed,
        makeup_dates=(loaded.makeup - extra_closed) | extra_makeup,
        exceptions=tuple(sorted(exceptions, key=lambda e: e.day)),
        off_day_hours=template.off_day_hours,
        holiday_source=template.holiday_source,
        covered_years=loaded.covered_years,
        unknown_years=unknown if template.holiday_source else frozenset(),
    )


def coverage_warnings(
    calendar: Calendar, *, years: Iterable[int] | None = None
) -> list[BilingualText]:
    """One warning per year whose statutory holidays are unknown, for the admin to act on;
    ``years`` limits them to the years a computation touched."""
    specs = calendar.calendars if isinstance(calendar, CalendarUnion) else (calendar,)
    wanted = None if years is None else frozenset(years)
    return [
        BilingualText(
            en=(
                f"Calendar {spec.code}: holidays for {year} are not available from "
                f"{spec.holiday_source} yet, so {year} counts weekends and admin-entered dates "
                "only. Enter the official arrangement as closed dates and make-up working days."
            ),
            zh=(
                f"日历 {spec.code}：{spec.holiday_source} 尚未收录 {year} 年的节假日安排，"
                f"{year} 年暂时只按周末和管理员录入的日期计算。"
                "请将官方公布的放假日期和调休上班日录入。"
            ),
        )
        for spec in specs
        for year in sorted(spec.unknown_years)
        if wanted is None or year in wanted
    ]


def _weekdays(hours: str) -> tuple[Hours, ...]:
    parsed = parse_hours(hours)
    return (parsed,) * 5 + ((), ())


SHIPPED_TEMPLATES: Mapping[str, CalendarTemplate] = {
    t.code: t
    for t in (
        CalendarTemplate(
            "cn-standard",
            "China working days 09:00-18:00",
            "中国工作日 09:00-18:00",
            "Asia/Shanghai",
            _weekdays("09:00-18:00"),
            holiday_source=CN_SOURCE,
        ),
        CalendarTemplate(
            "cn-chat",
            "China chat: working days 09:00-18:00, weekends and holidays 10:00-16:00",
            "中国在线客服：工作日 09:00-18:00，周末及节假日 10:00-16:00",
            "Asia/Shanghai",
            _weekdays("09:00-18:00"),
            off_day_hours=parse_hours("10:00-16:00"),
            holiday_source=CN_SOURCE,
        ),
        CalendarTemplate(
            "us-standard",
            "US working days 09:00-18:00 (New York)",
            "美国工作日 09:00-18:00（纽约时间）",
            "America/New_York",
            _weekdays("09:00-18:00"),
            holiday_source=f"{COUNTRY_SOURCE_PREFIX}US",
        ),
        CalendarTemplate(
            "always",
            "Always open (24×7)",
            "全天候（24×7）",
            "UTC",
            (parse_hours("00:00-24:00"),) * 7,
        ),
    )
}


def shipped_calendar(code: str, *, years: Iterable[int], **admin_data: Any) -> CalendarSpec:
    """A shipped calendar (``cn-standard``, ``cn-chat``, ``us-standard``, ``always``) for
    ``years``; ``admin_data`` are ``build_calendar``'s keyword arguments."""
    template = SHIPPED_TEMPLATES.get(code)
    if template is None:
        raise BilingualError(
            f"calendar {code!r}: unknown; shipped are {', '.join(SHIPPED_TEMPLATES)}",
            f"日历 {code!r} 不存在；内置日历为 {'、'.join(SHIPPED_TEMPLATES)}",
        )
    return build_calendar(template, years=years, **admin_data)


def years_around(moment: date, *, before: int = 1, after: int = 1) -> range:
    """The years a calendar should cover for computations near ``moment`` (a date or datetime)."""
    return range(moment.year - before, moment.year + after + 1)
