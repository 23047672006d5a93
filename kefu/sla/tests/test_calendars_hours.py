"""Opening hours, spec validation and the shipped calendar definitions."""

from datetime import date

import pytest

from kefu.sla.calendars import (
    SHIPPED_TEMPLATES,
    BilingualError,
    CalendarSpec,
    format_hours,
    load_holidays,
    parse_hours,
    shipped_calendar,
)

MON_FRI = (parse_hours("08:30-17:30"),) * 5 + ((), ())


def test_parse_and_format_hours() -> None:
    hours = parse_hours("13:30-18:00, 09:00-12:00")
    assert hours == ((540, 720), (810, 1080))
    assert format_hours(hours) == "09:00-12:00, 13:30-18:00"
    assert parse_hours("00:00-24:00") == ((0, 1440),)
    assert parse_hours("") == ()


@pytest.mark.parametrize(
    "text", ["9-18", "18:00-09:00", "09:00-12:00, 11:00-13:00", "00:00-24:30", "09:00"]
)
def test_bad_hours_are_refused_in_both_languages(text: str) -> None:
    with pytest.raises(BilingualError) as error:
        parse_hours(text)
    assert error.value.en.startswith("hours") and error.value.zh.startswith("营业时间")


def test_spec_validation() -> None:
    with pytest.raises(BilingualError, match="7 entries"):
        CalendarSpec("x", "Asia/Shanghai", MON_FRI[:6])
    with pytest.raises(BilingualError, match="IANA"):
        CalendarSpec("x", "Mars/Olympus_Mons", MON_FRI)
    with pytest.raises(BilingualError, match="both a closed date"):
        CalendarSpec(
            "x", "UTC", MON_FRI, closed_dates={date(2026, 1, 3)}, makeup_dates={date(2026, 1, 3)}
        )


def test_make_up_day_opens_with_weekday_hours() -> None:
    spec = CalendarSpec("x", "Asia/Shanghai", MON_FRI, makeup_dates=frozenset({date(2026, 10, 10)}))
    assert spec.day(date(2026, 10, 10)).hours == parse_hours("08:30-17:30")
    assert spec.day(date(2026, 10, 11)).hours == ()


def test_specs_are_hashable_values() -> None:
    first = shipped_calendar("cn-standard", years=[2026])
    second = shipped_calendar("cn-standard", years=[2026])
    assert first == second and hash(first) == hash(second)
    assert first != shipped_calendar("cn-chat", years=[2026])


def test_shipped_calendars() -> None:
    assert set(SHIPPED_TEMPLATES) == {"cn-standard", "cn-chat", "us-standard", "always"}
    assert all(t.name_en and t.name_zh for t in SHIPPED_TEMPLATES.values())
    chat = shipped_calendar("cn-chat", years=[2026])
    assert chat.zone == "Asia/Shanghai" and chat.off_day_hours == parse_hours("10:00-16:00")
    assert shipped_calendar("us-standard", years=[2026]).zone == "America/New_York"


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: shipped_calendar("cn-weekend", years=[2026]), "日历"),
        (lambda: load_holidays("lunar", [2026]), "节假日来源"),
        (lambda: load_holidays("holidays:XX", [2026]), "不支持"),
    ],
)
def test_unknown_names_are_refused(call: object, fragment: str) -> None:
    with pytest.raises(BilingualError) as error:
        call()  # type: ignore[operator]
    assert fragment in error.value.zh
