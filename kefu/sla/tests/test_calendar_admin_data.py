"""Calendars are admin data: seeded, edited with dated exceptions, cached per data version."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from kefu.sla.calendars import shipped_calendar
from kefu.sla.clock import due_iso
from kefu.sla.models import BusinessCalendar, CalendarDate
from kefu.sla.specs import calendar_for, calendar_warnings
from kefu.testing import session_client

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEARS = range(2025, 2028)


def due(code: str, start: str, target: str) -> str:
    moment = datetime.fromisoformat(start)
    return due_iso(calendar_for([code], around=moment), moment, target)


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["cn-standard", "cn-chat", "us-standard", "always"])
def test_seeded_calendars_match_the_shipped_templates(code):
    stored = calendar_for([code], around=date(2026, 6, 1))
    shipped = shipped_calendar(code, years=YEARS)
    days = [date(2025, 1, 1) + timedelta(days=n) for n in range(3 * 365)]
    assert [stored.day(d) for d in days] == [shipped.day(d) for d in days]


@pytest.mark.django_db
def test_each_kind_of_date_changes_the_arithmetic():
    cn = BusinessCalendar.objects.get(code="cn-standard")
    chat = BusinessCalendar.objects.get(code="cn-chat")
    assert due("cn-standard", "2027-01-04T17:00:00+08:00", "1d") == "2027-01-05T17:00:00+08:00"
    # Next year's arrangement, entered before the library knows it.
    CalendarDate.objects.create(calendar=cn, day=date(2027, 1, 5), kind="holiday")
    assert due("cn-standard", "2027-01-04T17:00:00+08:00", "1d") == "2027-01-06T17:00:00+08:00"
    CalendarDate.objects.create(calendar=cn, day=date(2027, 1, 9), kind="makeup")  # a Saturday
    assert due("cn-standard", "2027-01-08T17:30:00+08:00", "1h") == "2027-01-09T09:30:00+08:00"
    CalendarDate.objects.create(calendar=cn, day=date(2027, 1, 11), kind="closed")
    assert due("cn-standard", "2027-01-10T12:00:00+08:00", "1h") == "2027-01-12T10:00:00+08:00"
    CalendarDate.objects.create(
        calendar=cn, day=date(2027, 1, 12), kind="hours", hours="13:00-15:00"
    )
    assert due("cn-standard", "2027-01-12T08:00:00+08:00", "3h") == "2027-01-13T10:00:00+08:00"
    # A statutory holiday on the chat desk keeps its reduced hours; "closed" shuts it.
    CalendarDate.objects.create(calendar=chat, day=date(2027, 1, 5), kind="holiday")
    assert due("cn-chat", "2027-01-05T09:00:00+08:00", "3m") == "2027-01-05T10:03:00+08:00"
    CalendarDate.objects.create(
        calendar=chat, day=date(2027, 1, 16), kind="reduced", hours="12:00-13:00"
    )
    assert due("cn-chat", "2027-01-16T09:00:00+08:00", "90m") == "2027-01-17T10:30:00+08:00"


@pytest.mark.django_db
def test_a_saved_change_is_seen_at_once_and_by_version_elsewhere():
    calendar = BusinessCalendar.objects.get(code="always")
    first = calendar_for(["always"], around=date(2026, 1, 1))
    assert calendar_for(["always"], around=date(2026, 1, 1)) is first  # cached
    calendar.sunday = ""
    calendar.save()
    assert due("always", "2026-11-22T10:00:00+00:00", "1h") == "2026-11-23T01:00:00+00:00"
    version = BusinessCalendar.objects.get(pk=calendar.pk).version
    entry = CalendarDate.objects.create(calendar=calendar, day=date(2026, 11, 23), kind="closed")
    assert BusinessCalendar.objects.get(pk=calendar.pk).version == version + 1
    assert due("always", "2026-11-22T10:00:00+00:00", "1h") == "2026-11-24T01:00:00+00:00"
    entry.delete()
    assert due("always", "2026-11-22T10:00:00+00:00", "1h") == "2026-11-23T01:00:00+00:00"


@pytest.mark.django_db
def test_unknown_years_are_warned_until_their_arrangement_is_entered():
    cn = BusinessCalendar.objects.get(code="cn-standard")
    warnings = calendar_warnings(cn, around=date(2026, 11, 23))
    assert [w.en.split(":")[0] for w in warnings] == ["Calendar cn-standard"]
    assert "2027" in warnings[0].en and "2027" in warnings[0].zh
    cn.arranged_years = [2027]
    cn.save()
    assert calendar_warnings(cn, around=date(2026, 11, 23)) == []
    assert (
        calendar_warnings(BusinessCalendar.objects.get(code="always"), around=date(2026, 1, 1))
        == []
    )


@pytest.mark.django_db
def test_admins_see_the_warning_on_the_calendar_list(personas):
    page = session_client(personas.ada).get("/admin/sla/businesscalendar/").content.decode()
    assert "holidays for 2027 are not available from chinese_calendar" in page
    assert "cn-standard" in page and "us-standard" in page


@pytest.mark.django_db
def test_invalid_hours_zone_and_source_are_refused_with_the_rule():
    calendar = BusinessCalendar(code="bad", name_en="Bad", name_zh="坏", monday="9-18")
    with pytest.raises(ValidationError, match="HH:MM-HH:MM"):
        calendar.full_clean()
    calendar.monday, calendar.zone = "09:00-18:00", "Mars/Olympus"
    with pytest.raises(ValidationError, match="IANA"):
        calendar.full_clean()
    calendar.zone, calendar.holiday_source = "UTC", "moon"
    with pytest.raises(ValidationError, match="holiday source"):
        calendar.full_clean()
    entry = CalendarDate(
        calendar=BusinessCalendar.objects.get(code="always"), day=date(2026, 1, 2), kind="hours"
    )
    with pytest.raises(ValidationError, match="Enter the hours"):
        entry.full_clean()
