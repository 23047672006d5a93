"""Kefu's pages work in a real Chromium with their Content-Security-Policy enforced, for each
persona, without one violation: the language menu (its script moved from an inline onchange
to kefu/static/kefu/app.js; the walk switches each persona to Chinese through it), htmx, and the
chat widget on Kefu's own pages (the demo order page embeds it; the help centre and the portal
load it the way a customer's site would).

Screenshots of those pages, in Chinese and in English, go to test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kefu.testing import (
    BROWSER_TEST,
    RunningServer,
    assigned_ticket,
    launch_chromium,
    open_chat_around_the_clock,
    server_env,
    sign_in,
    watched_context,
)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LANGUAGES = {"en": "en-US", "zh": "zh-CN"}

pytestmark = [
    *BROWSER_TEST,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _pages(personas: Any, ticket: Any) -> dict[str, tuple[Any, list[str]]]:
    return {
        "anonymous": (None, ["/api/v1/docs", "/login/", "/help/", "/help/?q=refund",
                             "/demo/order/PO-88123/"]),
        "customer": (personas.anna, ["/portal/", "/portal/new/", f"/portal/t/{ticket.number}/"]),
        "agent": (personas.lena, ["/desk/", f"/desk/t/{ticket.number}/", "/desk/chat/",
                                  "/notifications/", "/notifications/preferences/"]),
        "admin": (personas.ada, ["/admin/", "/admin/tickets/ticket/",
                                 f"/admin/tickets/ticket/{ticket.pk}/change/"]),
    }  # fmt: skip


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"csp-{name}.png"), full_page=True)


def _switch_language(page: Any, code: str) -> None:
    """Through the language menu, whose script now comes from kefu/static/kefu/app.js (the
    admin has none of Kefu's menus: there the cookie the menu would set)."""
    if page.locator("select[name=language]").count():
        with page.expect_navigation():
            page.select_option("select[name=language]", code)
    else:
        host = page.url.split("/")[2].split(":")[0]
        cookie = {"name": "django_language", "value": code, "domain": host, "path": "/"}
        page.context.add_cookies([cookie])
        page.reload()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == code


def _assert_the_watch_sees(page: Any, violations: Any) -> None:
    """The watch is not blind: an inline handler slipped into a page is blocked, and seen."""
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=/x onerror=alert(1)>')")
    page.wait_for_timeout(300)
    assert any("script-src" in seen for seen in violations.seen), violations.seen


def test_every_persona_s_pages_run_without_a_violation(personas, tmp_path):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    ticket = assigned_ticket(personas)
    with RunningServer(server_env(tmp_path)) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for who, (user, urls) in _pages(personas, ticket).items():
            context, violations = watched_context(browser, locale="en-US")
            page = context.new_page()
            if user is not None:
                sign_in(page, server.url, user)
            for url in urls:
                page.goto(server.url + url)
            page.wait_for_load_state("networkidle")
            _shot(page, f"{who}-en")
            _switch_language(page, "zh-hans")
            _shot(page, f"{who}-zh")
            violations.assert_none()
            _assert_the_watch_sees(page, violations)
            context.close()
        browser.close()


def _chat_with_the_bot(page: Any, question: str, answered: str) -> None:
    from playwright.sync_api import expect

    page.click(".kefu-launcher")
    if page.locator(".kefu-prechat").is_visible():
        page.fill(".kefu-prechat input[name=email]", "visitor@buyer.test")
        page.click(".kefu-prechat button")
    page.fill(".kefu-compose textarea", question)
    page.press(".kefu-compose textarea", "Enter")
    expect(page.locator(".kefu-bot").last).to_contain_text(answered, timeout=15000)


def test_the_chat_widget_works_on_kefu_s_own_pages(personas, tmp_path):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    open_chat_around_the_clock()
    places = [("demo-order", None, "/demo/order/PO-88123/", "zh"), ("help", None, "/help/", "en"),
              ("portal", personas.anna, "/portal/", "en")]  # fmt: skip
    questions = {"en": ("How do I get a refund?", "refund"), "zh": ("怎么申请退款？", "退款")}
    with RunningServer(server_env(tmp_path)) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for name, user, url, short in places:
            context, violations = watched_context(browser, locale=LANGUAGES[short])
            page = context.new_page()
            if user is not None:
                sign_in(page, server.url, user)
            page.goto(server.url + url)
            if not page.locator("script[src*='/chat/widget.js']").count():
                page.add_script_tag(url=f"{server.url}/chat/widget.js")  # as a site embeds it
            _chat_with_the_bot(page, *questions[short])
            _shot(page, f"widget-{name}-{short}")
            context.close()
            violations.assert_none()
        browser.close()
