"""A mail whose subject carries 【线下服务预约】 goes through the email intake and the one
intake pipeline, opens a ticket, and that ticket's booking request: the requested slot, place
and topic read from the mail, confirmation due 2 working days later on the Chinese calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from kefu.appointments.models import Booking, BookingStatus
from kefu.delivery.tests.test_email_smtp import customer_mail
from kefu.intake.email import authn
from kefu.intake.email.inbound import _authenticate, deliver, to_inbound
from kefu.intake.ingest import ingest
from kefu.lib.mime import parse_email
from kefu.tickets.models import Channel

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Tuesday before the 2026 National Day holiday (1–7 October): working days are 30 September,
# then 8 October.
TUESDAY_BEFORE_NATIONAL_DAY = datetime(2026, 9, 29, 10, 0, tzinfo=SHANGHAI)

BODY = """您好，

我们想到贵司当面商谈批量采购的框架合同。
预约时间：2026年10月12日 下午2点
地点：上海总部 3 楼会议室
事项：批量采购洽谈

Acme Trading 王磊
"""


def _mail_at(received: datetime, subject: str, body: str, message_id: str):
    raw = customer_mail("anna@acme.test", subject, body, message_id)
    """What ``deliver`` does (parse, authenticate by DKIM, ingest), received at ``received``."""
    message = to_inbound(parse_email(raw), raw, "service")
    _authenticate(message, raw, authn.Hop())
    message.received_at = received
    return ingest(message)


@pytest.mark.django_db
def test_the_mail_opens_a_booking_due_two_chinese_working_days_later(personas):
    result = _mail_at(
        TUESDAY_BEFORE_NATIONAL_DAY, "【线下服务预约】批量采购洽谈", BODY, "visit-1@acme.test"
    )
    ticket = result.ticket
    assert ticket.channel == Channel.EMAIL and ticket.organization == personas.acme
    assert ticket.category.code == "other" and ticket.status == "new"  # no evidence asked for
    booking = Booking.objects.get(ticket=ticket)
    assert booking.status == BookingStatus.REQUESTED
    assert booking.slot == datetime(2026, 10, 12, 14, 0, tzinfo=SHANGHAI)
    assert (booking.place, booking.topic) == ("上海总部 3 楼会议室", "批量采购洽谈")
    # 2 working days after Tuesday 29 September 10:00: Wednesday 30 September, then — past the
    # seven days of National Day — Thursday 8 October, at the same time of day.
    assert booking.confirm_due_at == datetime(2026, 10, 8, 10, 0, tzinfo=SHANGHAI)
    assert booking.warn_at == datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI)


@pytest.mark.django_db
def test_the_marker_in_the_body_is_enough_and_english_mail_is_read_too(personas):
    body = (
        "【线下服务预约】\nWe would like training for our new staff.\n"
        "Date: 2026-10-12 09:30\nPlace: Shenzhen office\nTopic: Seller centre training\n"
    )
    result = _mail_at(TUESDAY_BEFORE_NATIONAL_DAY, "Training visit", body, "visit-2@acme.test")
    booking = Booking.objects.get(ticket=result.ticket)
    assert booking.slot == datetime(2026, 10, 12, 9, 30, tzinfo=SHANGHAI)
    assert (booking.place, booking.topic) == ("Shenzhen office", "Seller centre training")


@pytest.mark.django_db
def test_mail_without_the_marker_opens_no_booking(personas):
    _mail_at(
        TUESDAY_BEFORE_NATIONAL_DAY,
        "Order PO-1 late",
        "PO-1 has not arrived, 2026-10-12 14:00",
        "plain@acme.test",
    )
    assert not Booking.objects.exists()


def _working_days_after(start: date, count: int) -> date:
    """Counted with the chinese_calendar library itself, independently of Kefu's clock."""
    day = start
    while count:
        day += timedelta(days=1)
        count -= chinese_calendar.is_workday(day)
    return day


@pytest.mark.django_db
def test_a_mail_arriving_now_through_smtp_intake_is_due_two_working_days_later(personas):
    """The same path as a real delivery (``deliver``: parsing, DKIM), at today's date."""
    result = deliver(
        customer_mail(
            "anna@acme.test",
            "【线下服务预约】季度对账",
            "预约时间：2027-03-15 10:00\n地点：上海",
            "visit-3@acme.test",
        )
    )
    booking = Booking.objects.get(ticket=result.ticket)
    requested = booking.requested_at.astimezone(SHANGHAI)
    first = requested.date()
    if not chinese_calendar.is_workday(first) or requested.hour >= 18:
        first = _working_days_after(first, 1)  # the clock starts at the next working opening
    assert booking.confirm_due_at.astimezone(SHANGHAI).date() == _working_days_after(first, 2)
