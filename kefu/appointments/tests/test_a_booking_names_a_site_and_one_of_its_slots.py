"""Admins define sites and their weekly opening windows (slots with a capacity). Once sites
exist a booking names one, at the start of one of its slots: an unknown site, a missing site, a
time between slots or outside the windows is a 422 naming the field, in the caller's language;
a slot whose places are all held is refused as full; a declined or cancelled booking frees its
place."""

from __future__ import annotations

import json
from datetime import datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kefu.appointments import actions, rules
from kefu.appointments.models import Booking, OpeningWindow, Site
from kefu.testing import api_client


def make_site(capacity: int = 2) -> Site:
    """Every day 09:00–12:00 in hour slots (so any working day the lead rule allows has them)."""
    site = Site.objects.create(name="Shanghai Hongqiao office", address="虹桥路 1 号")
    for weekday in range(7):
        OpeningWindow.objects.create(
            site=site, weekday=weekday, opens=time(9), closes=time(12), capacity=capacity
        )
    return site


def earliest_at(hour: int, minute: int = 0) -> datetime:
    day = rules.earliest_day(timezone.now())
    return datetime.combine(day, time(hour, minute), tzinfo=rules.zone())


def book(user, slot: datetime, site: int | None, language: str = "en"):
    body = {"slot": slot.isoformat(), "topic": "Bulk purchase talks"}
    if site is not None:
        body["site"] = site
    client = api_client(user, **{"Accept-Language": language})
    return client.post("/api/v1/appointments", json.dumps(body), content_type="application/json")


def problem(answer) -> tuple[str, str]:
    assert answer.status_code == 422, answer.content
    detail = answer.json()["detail"][0]
    return detail["field"], detail["msg"]


@pytest.mark.django_db
def test_the_sites_and_their_windows_are_listed_for_customers(personas):
    make_site()
    listed = api_client(personas.anna).get("/api/v1/appointments/sites").json()
    assert listed[0]["name"] == "Shanghai Hongqiao office"
    assert {"weekday": 0, "opens": "09:00", "closes": "12:00", "slot_minutes": 60, "capacity": 2} in listed[0]["windows"]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "missing", "unknown", "between"),
    [
        ("en", "Choose the site you will visit.", "Choose one of the sites offered.",
         "is not one of the bookable slots of Shanghai Hongqiao office"),
        ("zh-CN", "请选择您要到访的地点。", "请从提供的地点中选择。", "不是 Shanghai Hongqiao office 可预约的时段"),
    ],
)  # fmt: skip
def test_a_missing_or_unknown_site_and_a_time_between_slots_are_422s_naming_the_field(
    personas, language, missing, unknown, between
):
    site = make_site()
    assert problem(book(personas.anna, earliest_at(10), None, language)) == ("site", missing)
    assert problem(book(personas.anna, earliest_at(10), site.pk + 99, language)) == (
        "site",
        unknown,
    )
    field, says = problem(book(personas.anna, earliest_at(10, 30), site.pk, language))
    assert field == "slot" and between in says and "09:00–12:00" in says
    field, says = problem(book(personas.anna, earliest_at(12), site.pk, language))
    assert field == "slot" and between in says  # 12:00 would end after closing
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_a_full_slot_is_refused_and_a_cancelled_booking_frees_its_place(personas):
    site = make_site(capacity=2)
    first = book(personas.anna, earliest_at(10), site.pk)
    assert first.status_code == 201, first.content
    assert first.json()["site"] == site.pk and first.json()["visitor_name"] == "Anna"
    assert book(personas.sam, earliest_at(10), site.pk).status_code == 201
    field, says = problem(book(personas.otto, earliest_at(10), site.pk))
    assert field == "slot" and "is full" in says
    assert Booking.objects.count() == 2
    assert book(personas.otto, earliest_at(11), site.pk).status_code == 201  # the next slot
    actions.cancel_booking(viewer=personas.viewer(personas.anna), booking_id=first.json()["id"])
    assert book(personas.otto, earliest_at(10), site.pk).status_code == 201


@pytest.mark.django_db
def test_a_site_on_an_unknown_calendar_is_refused_by_the_admin_form(personas):
    site = Site(name="Nowhere", address="—", calendar="no-such-calendar")
    with pytest.raises(ValidationError) as refused:
        site.full_clean()
    assert "calendar" in refused.value.message_dict
