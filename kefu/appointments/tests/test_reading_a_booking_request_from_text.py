"""The requested time, place and topic as people write them in a mail (pure, no database)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from kefu.appointments.parsing import booking_text, is_booking, parse_booking, parse_slot

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 9, 29)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-10-12 14:00", datetime(2026, 10, 12, 14, 0)),
        ("2026/10/9 9:30", datetime(2026, 10, 9, 9, 30)),
        ("2026.10.09 10:00", datetime(2026, 10, 9, 10, 0)),
        ("2026年10月12日 14:00", datetime(2026, 10, 12, 14, 0)),
        ("2026年10月12日下午2点", datetime(2026, 10, 12, 14, 0)),
        ("10月12日 上午10点半", datetime(2026, 10, 12, 10, 30)),
        ("9月1日 10:00", datetime(2027, 9, 1, 10, 0)),  # passed this year: next year's
        ("2026-10-12 2:30 pm", datetime(2026, 10, 12, 14, 30)),
    ],
)
def test_the_ways_people_write_a_time(text, expected):
    assert parse_slot(text, zone=SHANGHAI, today=TODAY) == expected.replace(tzinfo=SHANGHAI)


def test_no_time_or_an_impossible_date_is_none():
    assert parse_slot("下周找个时间", zone=SHANGHAI, today=TODAY) is None
    assert parse_slot("2026-02-30 10:00", zone=SHANGHAI, today=TODAY) is None


def test_the_labelled_line_wins_over_other_dates_and_phone_numbers():
    body = "订单 2026-09-01 10:00 下的单。\n电话 021-5555 1234\n预约时间：2026-10-12 15:00\n"
    found = parse_booking("【线下服务预约】对账", body, zone=SHANGHAI, today=TODAY)
    assert found.slot == datetime(2026, 10, 12, 15, 0, tzinfo=SHANGHAI)
    assert found.topic == "对账" and found.place == ""


def test_the_portal_text_reads_back():
    slot = datetime(2026, 10, 12, 15, 0, tzinfo=SHANGHAI)
    text = booking_text(slot=slot, place="深圳办公室", topic="Training", details="Ten people.")
    found = parse_booking("【线下服务预约】Training", text, zone=SHANGHAI, today=TODAY)
    assert (found.slot, found.place, found.topic) == (slot, "深圳办公室", "Training")


def test_the_marker_in_subject_or_body():
    assert is_booking("【线下服务预约】培训", "")
    assert is_booking("Re: visit", "【线下服务预约】\n时间：…")
    assert not is_booking("线下服务预约", "想预约")
