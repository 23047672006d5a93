"""Booking an offline visit as people do it in Chromium: Acme's main account on a phone
(390 px) in Chinese tries a slot too soon, reads why, books the earliest day; the page in
English and on a desktop; the admin confirms it from the desk's panel."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from kefu.appointments import rules
from kefu.appointments.models import Booking, BookingStatus
from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    DESKTOP,
    PHONE,
    RunningServer,
    free_port,
    launch_chromium,
    server_env,
    sign_in,
    switch_language,
    watched_context,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")

pytestmark = BROWSER_TEST


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_customer_books_a_visit_and_the_agent_confirms_it(personas, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    today = timezone.now().astimezone(SHANGHAI).date()
    too_soon = datetime.combine(today + timedelta(days=1), time(10))
    earliest = datetime.combine(rules.earliest_day(timezone.now()), time(10))
    port = free_port()
    env = server_env(tmp_path, KEFU_SITE_URL=f"http://127.0.0.1:{port}")
    watches = []
    with RunningServer(env, port=port) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context, watch = watched_context(browser, locale="zh-CN", viewport=PHONE)
        watches.append(watch)
        phone = context.new_page()
        sign_in(phone, server.url, personas.anna)
        switch_language(phone, "zh-hans")
        phone.goto(f"{server.url}/portal/appointments/")
        expect(phone.locator("h1")).to_have_text("线下预约")
        phone.fill("[name=slot]", too_soon.strftime("%Y-%m-%dT%H:%M"))
        phone.fill("[name=topic]", "批量采购洽谈")
        phone.fill("[name=place]", "上海总部")
        phone.click("#book-visit button.primary")
        expect(phone.locator("#book-visit .error")).to_contain_text("请至少提前 3 个工作日预约")
        expect(phone.locator("[name=topic]")).to_have_value("批量采购洽谈")
        phone.screenshot(
            path=str(ARTIFACTS / "appointments-portal-error-zh-390.png"), full_page=True
        )
        phone.fill("[name=slot]", earliest.strftime("%Y-%m-%dT%H:%M"))
        phone.click("#book-visit button.primary")
        expect(phone.locator(".flash")).to_contain_text("2 个工作日内确认")
        expect(phone.locator("#bookings")).to_contain_text("待确认")
        phone.screenshot(path=str(ARTIFACTS / "appointments-portal-zh-390.png"), full_page=True)
        switch_language(phone, "en")
        phone.goto(f"{server.url}/portal/appointments/")
        expect(phone.locator("#bookings")).to_contain_text("Requested")
        number = phone.locator("#bookings .number").first.inner_text()
        phone.screenshot(path=str(ARTIFACTS / "appointments-portal-en-390.png"), full_page=True)
        context.close()
        for language in ("en", "zh-hans"):
            context, watch = watched_context(browser, locale="en-US", viewport=DESKTOP)
            watches.append(watch)
            page = context.new_page()
            sign_in(page, server.url, personas.anna)
            switch_language(page, language)
            page.goto(f"{server.url}/portal/appointments/")
            page.screenshot(
                path=str(ARTIFACTS / f"appointments-portal-{language}.png"), full_page=True
            )
            context.close()
        context, watch = watched_context(browser, locale="en-US", viewport=DESKTOP)
        watches.append(watch)
        desk = context.new_page()
        sign_in(desk, server.url, personas.ada)  # an admin sees every ticket
        for language in ("zh-hans", "en"):
            switch_language(desk, language)
            desk.goto(f"{server.url}/desk/t/{number}/")
            expect(desk.locator("#bookings")).to_contain_text("批量采购洽谈")
            desk.screenshot(
                path=str(ARTIFACTS / f"appointments-desk-{language}.png"), full_page=True
            )
        desk.click("#bookings button.primary")
        expect(desk.locator(".flash")).to_contain_text("Confirmed")
        context.close()
        browser.close()
    booking = Booking.objects.get()
    assert booking.ticket.number == number and booking.status == BookingStatus.CONFIRMED
    assert booking.slot == earliest.replace(tzinfo=SHANGHAI)
    for watch in watches:
        watch.assert_none()
