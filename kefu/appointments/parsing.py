"""Reading a booking request out of a mail or form text. Pure, no Django.

People write the requested time in many ways; these are understood: ``2026-10-09 10:00``,
``2026/10/9 14:30``, ``2026.10.09 9:00``, ``2026年10月9日 14:00``, ``2026年10月9日下午2点``,
``10月9日 上午10点`` (the year of the request, or the next one when that date has passed). Labels
say which line is which: 时间/日期/预约时间/Time/Date/Slot, 地点/地址/Place/Location, 事项/主题/
Topic/Purpose. Without a label, the first date-time in the text is the slot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

MARK = "【线下服务预约】"

_LABEL = r"(?:预约时间|预约日期|时间|日期|requested time|time|date|slot)"
# A label may come in both languages, "地点 / Place: …", as the portal writes it.
_PLACE = re.compile(
    r"^\s*[^\n:：]*?(?:地点|地址|场地|place|location|site)\s*[:：]\s*(.+)$", re.I | re.M
)
_TOPIC = re.compile(r"^\s*[^\n:：]*?(?:事项|主题|内容|topic|purpose)\s*[:：]\s*(.+)$", re.I | re.M)
_LABELLED = re.compile(rf"^\s*[^\n:：]*?{_LABEL}\s*[:：]\s*(.+)$", re.I | re.M)
_DATE_TIME = re.compile(
    r"(?:(?P<y>\d{4})\s*[-/.年]\s*)?(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?"
    r"\s*(?:[T ]|\s)*(?P<half>上午|下午|晚上|中午|am|pm)?\s*"
    r"(?P<h>\d{1,2})\s*(?:[:：点时]\s*(?P<min>\d{1,2}|半)?\s*分?)"
    r"\s*(?P<half2>am|pm)?",
    re.I,
)


@dataclass(frozen=True)
class BookingText:
    slot: datetime | None
    place: str
    topic: str


def is_booking(subject: str, body: str) -> bool:
    return MARK in subject or MARK in body


def parse_booking(subject: str, body: str, *, zone: ZoneInfo, today: date) -> BookingText:
    labelled = _LABELLED.search(body)
    slot = parse_slot(labelled.group(1), zone=zone, today=today) if labelled else None
    if slot is None:
        slot = parse_slot(body, zone=zone, today=today)
    place = _first(_PLACE, body)
    topic = _first(_TOPIC, body) or subject.replace(MARK, "").strip(" -—–:：") or MARK.strip("【】")
    return BookingText(slot=slot, place=place[:200], topic=topic[:200])


def _first(pattern: re.Pattern[str], text: str) -> str:
    found = pattern.search(text)
    return found.group(1).strip() if found else ""


def parse_slot(text: str, *, zone: ZoneInfo, today: date) -> datetime | None:
    """The first date-time in ``text``, in ``zone``; None when there is none that exists."""
    for found in _DATE_TIME.finditer(text):
        slot = _as_datetime(found, zone=zone, today=today)
        if slot is not None:
            return slot
    return None


def _as_datetime(found: re.Match[str], *, zone: ZoneInfo, today: date) -> datetime | None:
    hour = int(found["h"])
    minute = 30 if found["min"] == "半" else int(found["min"] or 0)
    half = (found["half"] or found["half2"] or "").lower()
    if half in ("下午", "晚上", "pm") and hour < 12:
        hour += 12
    try:
        year = int(found["y"]) if found["y"] else today.year
        on = date(year, int(found["m"]), int(found["d"]))
        if not found["y"] and on < today:
            on = on.replace(year=year + 1)
        return datetime.combine(on, time(hour, minute), tzinfo=zone)
    except ValueError:
        return None


def booking_text(*, slot: datetime, place: str, topic: str, details: str) -> str:
    """The body of a ticket opened by the portal's booking form: labelled lines this module reads
    back, in both languages, then the customer's own words."""
    lines = [
        f"预约时间 / Requested time: {slot:%Y-%m-%d %H:%M}",
        f"地点 / Place: {place}" if place else "",
        f"事项 / Topic: {topic}",
        "",
        details,
    ]
    return "\n".join(line for line in lines if line is not None).strip()
