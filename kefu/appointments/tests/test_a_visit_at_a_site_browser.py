"""A visit at a site as people do it in Chromium: Acme's main account on a phone (390 px), in
Chinese then English, picks a site and one of its slots; on the desk (zh and en) the admin
confirms it, checks the visitor in — a wrong name is refused and says what the booking holds —
and records the arrival with the ID number masked."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from django.utils import timezone

from kefu.appointments import rules
from kefu.appointments.models import Booking, BookingStatus, OpeningWindow, Site
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

pytestmark = BROWSER_TEST


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_customer_books_a_site_slot_and_the_desk_checks_the_visitor_in(personas, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    site = Site.objects.create(name="上海虹桥服务中心", address="上海市闵行区申长路 988 号")
    for weekday in range(7):
        OpeningWindow.objects.create(site=site, weekday=weekday, opens=time(9), closes=time(12))
    slot = datetime.combine(rules.earliest_day(timezone.now()), time(10))
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
        phone.fill("[name=slot]", slot.replace(minute=30).strftime("%Y-%m-%dT%H:%M"))
        phone.fill("[name=topic]", "批量采购洽谈")
        phone.click("#book-visit button.primary")
        expect(phone.locator("#book-visit .error")).to_contain_text("请选择您要到访的地点")
        phone.select_option("[name=site]", str(site.pk))
        phone.click("#book-visit button.primary")
        expect(phone.locator("#book-visit .error")).to_contain_text("可预约的时段")
        phone.screenshot(path=str(ARTIFACTS / "appointments-site-error-zh-390.png"), full_page=True)
        phone.fill("[name=slot]", slot.strftime("%Y-%m-%dT%H:%M"))
        phone.click("#book-visit button.primary")
        expect(phone.locator("#bookings")).to_contain_text("上海虹桥服务中心")
        phone.screenshot(path=str(ARTIFACTS / "appointments-site-zh-390.png"), full_page=True)
        switch_language(phone, "en")
        phone.goto(f"{server.url}/portal/appointments/")
        expect(phone.locator("#book-visit")).to_contain_text("Choose a site")
        phone.screenshot(path=str(ARTIFACTS / "appointments-site-en-390.png"), full_page=True)
        number = phone.locator("#bookings .number").first.inner_text()
        context.close()

        context, watch = watched_context(browser, locale="en-US", viewport=DESKTOP)
        watches.append(watch)
        desk = context.new_page()
        sign_in(desk, server.url, personas.ada)
        switch_language(desk, "zh-hans")
        desk.goto(f"{server.url}/desk/t/{number}/")
        desk.click("#bookings button.primary")  # confirm
        expect(desk.locator("#bookings")).to_contain_text("访客到访登记")
        desk.fill("#bookings [name=name]", "Someone Else")
        desk.fill("#bookings [name=id_number]", "11010519491231002X")
        desk.click("#bookings form.arrival button.primary")
        expect(desk.locator(".flash")).to_contain_text("访客姓名与预约不符（Anna）")
        desk.screenshot(path=str(ARTIFACTS / "appointments-arrival-zh.png"), full_page=True)
        switch_language(desk, "en")
        desk.goto(f"{server.url}/desk/t/{number}/")
        desk.screenshot(path=str(ARTIFACTS / "appointments-arrival-en.png"), full_page=True)
        desk.fill("#bookings [name=id_number]", "11010519491231002X")
        desk.click("#bookings form.arrival button.primary")
        expect(desk.locator("#bookings")).to_contain_text("******002X")
        desk.screenshot(path=str(ARTIFACTS / "appointments-arrived-en.png"), full_page=True)
        context.close()
        browser.close()
    booking = Booking.objects.get()
    assert (booking.site, booking.status) == (site, BookingStatus.ARRIVED)
    assert booking.arrived_by == personas.ada and booking.visitor_id_masked == "******002X"
    for watch in watches:
        watch.assert_none()
