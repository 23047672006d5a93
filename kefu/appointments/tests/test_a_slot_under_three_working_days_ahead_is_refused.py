"""A visit is booked at least 3 working days ahead (Chinese calendar). The portal and the API
refuse an earlier slot with a 422 naming ``slot`` and the earliest day, in Chinese and English;
a mailed request for one is kept, declined with the same words, and the customer is mailed."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from kefu.appointments import rules
from kefu.appointments.models import Booking, BookingStatus
from kefu.appointments.tests.test_a_booking_mail_opens_a_booking_due_in_two_working_days import (
    TUESDAY_BEFORE_NATIONAL_DAY,
    _mail_at,
)
from kefu.delivery.models import Delivery
from kefu.testing import api_client, session_client
from kefu.tickets.models import Ticket

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _tomorrow_at_ten() -> datetime:
    tomorrow = timezone.now().astimezone(SHANGHAI).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(10), tzinfo=SHANGHAI)


def _earliest_at_ten() -> datetime:
    return datetime.combine(rules.earliest_day(timezone.now()), time(10), tzinfo=SHANGHAI)


def _book(client, slot: datetime):
    body = {"slot": slot.isoformat(), "topic": "Bulk purchase talks", "place": "Shanghai"}
    return client.post("/api/v1/appointments", json.dumps(body), content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("en", "Book a visit at least 3 working days ahead: the earliest day you can choose is"),
        ("zh-CN", "请至少提前 3 个工作日预约：最早可选"),
    ],
)
def test_the_api_refuses_a_slot_tomorrow_with_a_422_naming_the_slot(personas, language, says):
    answer = _book(api_client(personas.anna, **{"Accept-Language": language}), _tomorrow_at_ten())
    assert answer.status_code == 422
    problem = answer.json()["detail"][0]
    assert problem["field"] == "slot" and says in problem["msg"]
    assert rules.earliest_day(timezone.now()).isoformat() in problem["msg"]
    assert not Booking.objects.exists() and not Ticket.objects.exists()


@pytest.mark.django_db
def test_the_api_books_the_earliest_allowed_day(personas):
    answer = _book(api_client(personas.anna), _earliest_at_ten())
    assert answer.status_code == 201, answer.content
    booking = Booking.objects.get()
    assert answer.json()["ticket"] == booking.ticket.number
    assert booking.status == BookingStatus.REQUESTED and booking.slot == _earliest_at_ten()
    assert booking.ticket.subject == "【线下服务预约】Bulk purchase talks"
    assert booking.ticket.category.code == "other" and booking.ticket.status == "new"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "says"),
    [("en", "the earliest day you can choose is"), ("zh-hans", "最早可选")],
)
def test_the_portal_form_shows_the_refusal_on_the_slot_field(personas, language, says):
    personas.anna.language = language
    personas.anna.save()
    client = session_client(personas.anna)
    token = client.get("/portal/appointments/").cookies["csrftoken"].value
    slot = _tomorrow_at_ten().strftime("%Y-%m-%dT%H:%M")
    answer = client.post(
        "/portal/appointments/",
        {"slot": slot, "topic": "培训", "place": "", "details": "", "csrfmiddlewaretoken": token},
        headers={"Accept-Language": language},
    )
    assert answer.status_code == 200
    page = answer.content.decode()
    assert says in page and 'class="field invalid"' in page
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_a_mailed_request_too_soon_is_declined_and_the_customer_told_in_their_language(personas):
    # Tuesday 29 September: the 3rd working day after is Friday 9 October; 8 October is too soon.
    body = "预约时间：2026-10-08 10:00\n地点：上海\n事项：纠纷面谈"
    result = _mail_at(
        TUESDAY_BEFORE_NATIONAL_DAY, "【线下服务预约】纠纷面谈", body, "soon@acme.test"
    )
    booking = Booking.objects.get(ticket=result.ticket)
    assert booking.status == BookingStatus.DECLINED
    assert "请至少提前 3 个工作日预约" in booking.reason and "2026-10-09" in booking.reason
    mail = Delivery.objects.get(
        ticket=result.ticket,
        kind=Delivery.Kind.NOTIFICATION,
        text__contains="无法为您安排该线下服务预约",
    )
    assert mail.to == ["anna@acme.test"]
    assert "2026-10-09" in mail.text and "请至少提前 3 个工作日预约" in mail.text


@pytest.mark.django_db
def test_an_english_mail_too_soon_is_declined_in_english(personas):
    body = "Time: 2026-10-08 10:00\nTopic: Dispute meeting about order PO-1"
    result = _mail_at(
        TUESDAY_BEFORE_NATIONAL_DAY, "【线下服务预约】Dispute meeting", body, "soon-en@acme.test"
    )
    booking = Booking.objects.get(ticket=result.ticket)
    assert booking.status == BookingStatus.DECLINED
    assert booking.reason.startswith("Book a visit at least 3 working days ahead")
    mail = Delivery.objects.get(
        ticket=result.ticket,
        kind=Delivery.Kind.NOTIFICATION,
        text__contains="We cannot book your offline visit",
    )
    assert mail.to == ["anna@acme.test"] and "2026-10-09" in mail.text


@pytest.mark.django_db
def test_the_third_working_day_is_accepted_from_mail(personas):
    body = "预约时间：2026-10-09 10:00\n事项：纠纷面谈"
    result = _mail_at(TUESDAY_BEFORE_NATIONAL_DAY, "【线下服务预约】纠纷面谈", body, "ok@acme.test")
    assert Booking.objects.get(ticket=result.ticket).status == BookingStatus.REQUESTED
