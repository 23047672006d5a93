"""Live, in a real Chromium (issue #12, must show 1): an agent's reply typed on the desk reaches
the visitor's open chat widget, and an agent's status change reaches the customer's open portal
page and a second agent's queue — each within a second, without a reload."""

from __future__ import annotations

import shutil

import pytest

from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    PASSWORD,
    RunningServer,
    make_ticket,
    open_chat_around_the_clock,
    server_env,
    watched_context,
)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WITHIN_A_SECOND = 1000  # ms

pytestmark = BROWSER_TEST


def _browser(playwright):
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )


def _signed_in(browser, server, user, watches, locale="en-US"):
    context, violations = watched_context(browser, locale=locale)
    watches.append(violations)  # the CSP watch: the test fails on any violation
    page = context.new_page()
    page.goto(f"{server.url}/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(lambda url: "/login/" not in url)
    return page


def _live(page) -> None:
    """Wait until the page's live socket is connected (its first push would otherwise race).

    Read from an attribute, not with ``wait_for_function``: Playwright evaluates a string
    predicate with ``eval``, which the pages' CSP refuses."""
    from playwright.sync_api import expect

    expect(page.locator("body")).to_have_attribute("data-live-ready", "yes", timeout=15_000)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_desk_reply_reaches_the_open_chat_widget(personas, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    open_chat_around_the_clock()
    watches: list = []
    with RunningServer(server_env(tmp_path)) as server, sync_playwright() as playwright:
        browser = _browser(playwright)
        visitor_context, visitor_watch = watched_context(browser, locale="zh-CN")
        watches.append(visitor_watch)
        visitor = visitor_context.new_page()
        visitor.goto(f"{server.url}/demo/order/PO-3141/")
        visitor.click(".kefu-launcher")
        visitor.fill(".kefu-prechat input[name=name]", "王先生")
        visitor.fill(".kefu-prechat input[name=email]", "wang@buyer.test")
        visitor.click(".kefu-prechat button")
        visitor.fill(".kefu-compose textarea", "订单 PO-3141 什么时候发货？")
        visitor.press(".kefu-compose textarea", "Enter")
        expect(visitor.locator(".kefu-bot").first).to_be_visible(timeout=15000)

        agent = _signed_in(browser, server, personas.ada, watches)
        agent.goto(f"{server.url}/desk/?q=PO-3141")
        agent.locator("#queue a[href*='/desk/t/']").first.click()
        agent.fill("textarea[name=body]", "您好，PO-3141 今天下午发货。")
        agent.click("form[enctype] button.primary")
        expect(visitor.locator(".kefu-agent")).to_contain_text(
            "今天下午发货", timeout=WITHIN_A_SECOND
        )
        visitor.screenshot(path=str(ARTIFACTS / "live-chat-desk-reply-zh.png"))
        browser.close()
    for watch in watches:
        watch.assert_none()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_status_change_reaches_the_portal_and_another_agents_queue(personas, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    ticket = make_ticket(personas.anna, subject="Invoice for PO-2718 is missing")
    number = ticket.number
    watches: list = []
    with RunningServer(server_env(tmp_path)) as server, sync_playwright() as playwright:
        browser = _browser(playwright)
        customer = _signed_in(browser, server, personas.anna, watches)
        customer.goto(f"{server.url}/portal/t/{number}/")
        second_agent = _signed_in(browser, server, personas.lena, watches)
        second_agent.goto(f"{server.url}/desk/")
        row = second_agent.locator(f"#queue tr:has(a:text('{number}'))")
        expect(row).to_contain_text("New")
        _live(customer)
        _live(second_agent)

        agent = _signed_in(browser, server, personas.alice, watches)
        agent.goto(f"{server.url}/desk/t/{number}/")
        agent.select_option("select[name=status]", "pending_customer")
        agent.click("form.stack button.primary")
        expect(customer.locator("#ticket-head .badge")).to_contain_text(
            "Pending customer", timeout=WITHIN_A_SECOND
        )
        expect(row).to_contain_text("Pending customer", timeout=WITHIN_A_SECOND)
        customer.screenshot(path=str(ARTIFACTS / "live-portal-status-en.png"), full_page=True)
        second_agent.screenshot(path=str(ARTIFACTS / "live-desk-queue-en.png"), full_page=True)
        browser.close()
    for watch in watches:
        watch.assert_none()
