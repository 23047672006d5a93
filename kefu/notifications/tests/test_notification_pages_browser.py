"""The notification centre, the preferences and a mail's confirm link, as people use them in
Chromium — customers on a phone (390 px) and staff on a desktop, in Chinese and English."""

from __future__ import annotations

import re
import shutil

import pytest

from kefu.delivery.models import Delivery
from kefu.notifications.models import Preference
from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    PASSWORD,
    PHONE,
    RunningServer,
    assigned_ticket,
    free_port,
    launch_chromium,
    server_env,
    switch_language,
    watched_context,
)
from kefu.tickets import actions

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = BROWSER_TEST


WATCHES: list = []


def _page(browser, locale: str, viewport: dict[str, int] | None = None):
    """A new context, its CSP violations watched (asserted none at the end)."""
    size = viewport or {"width": 1280, "height": 800}
    context, watch = watched_context(browser, locale=locale, viewport=size)
    WATCHES.append(watch)
    return context.new_page()


def _sign_in(page, url: str, email: str) -> None:
    page.goto(f"{url}/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(lambda at: "/login/" not in at)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_notifications_preferences_and_the_confirm_link_on_a_phone_and_a_desk(personas, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    personas.anna.language = "zh-hans"
    personas.anna.save()
    ticket = assigned_ticket(personas, subject="发票 PO-1414 还没有开")
    agent = personas.viewer(personas.alice)
    actions.add_message(ticket=ticket, actor=agent, body="您好，发票已在开具中。")
    actions.change_status(ticket=ticket, actor=agent, status="resolved")
    confirm = re.findall(r"/t/[^/\s]+/", Delivery.objects.get(text__contains="/t/").text)[0]
    port = free_port()
    env = server_env(tmp_path, KEFU_SITE_URL=f"http://127.0.0.1:{port}")
    with RunningServer(env, port=port) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        phone = _page(browser, "zh-CN", PHONE)
        _sign_in(phone, server.url, personas.anna.email)  # Anna reads Chinese
        for language, shown in (("zh-hans", "客服已回复"), ("en", "Support replied")):
            switch_language(phone, language)
            phone.goto(f"{server.url}/notifications/")
            expect(phone.locator("#notification-list")).to_contain_text(ticket.number)
            expect(phone.locator("#notification-list")).to_contain_text(shown)
            expect(phone.locator("#notify-badge")).to_have_text("2")
            phone.screenshot(
                path=str(ARTIFACTS / f"notifications-customer-{language}.png"), full_page=True
            )
            phone.goto(f"{server.url}/notifications/preferences/")
            phone.screenshot(
                path=str(ARTIFACTS / f"preferences-customer-{language}.png"), full_page=True
            )
        phone.uncheck("input[name=resolved-email]")
        phone.click("form.card button.primary")
        expect(phone.locator(".flash")).to_contain_text("saved")

        for locale in ("zh-CN", "en-US"):
            stranger = _page(browser, locale, PHONE)  # no session: the mail's link alone
            stranger.goto(server.url + confirm)
            stranger.screenshot(path=str(ARTIFACTS / f"link-confirm-{locale}.png"), full_page=True)
        stranger.click("button.primary")
        expect(stranger.locator(".done")).to_contain_text("closed")
        stranger.screenshot(path=str(ARTIFACTS / "link-confirmed-en-US.png"), full_page=True)

        desk = _page(browser, "zh-CN")
        _sign_in(desk, server.url, personas.alice.email)
        switch_language(desk, "zh-hans")
        desk.goto(f"{server.url}/desk/t/{ticket.number}/")
        history = desk.locator("#timeline")
        expect(history).to_contain_text("创建了工单")
        expect(history).to_contain_text("已解决")  # the status, in words
        assert "resolved" not in history.inner_text()  # no English status or event text
        desk.screenshot(path=str(ARTIFACTS / "desk-ticket-history-zh-CN.png"), full_page=True)
        desk.goto(f"{server.url}/notifications/preferences/")
        desk.screenshot(path=str(ARTIFACTS / "preferences-staff-zh-CN.png"), full_page=True)
        browser.close()
    for watch in WATCHES:
        watch.assert_none()
    choice = Preference.objects.get(user=personas.anna, kind="resolved")
    assert (choice.in_app, choice.email) == (True, False)
    ticket.refresh_from_db()
    assert ticket.status == "closed"
