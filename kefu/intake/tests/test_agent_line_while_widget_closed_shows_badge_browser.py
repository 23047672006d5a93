"""While the widget is closed, an agent's line shows as a badge on the launcher and in the page
title; opening the widget clears both. On a phone (390 px) the open widget fills the screen. On
the portal, a signed-in customer's widget is there too, and the chat with the agent follows them
to the help centre (issue #14)."""

import pytest

from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    RunningServer,
    launch_chromium,
    open_chat_around_the_clock,
    server_env,
    sign_in,
    watched_context,
)

pytestmark = BROWSER_TEST


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_agent_line_while_widget_closed_shows_badge_and_title(personas, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    open_chat_around_the_clock()
    personas.anna.language = "zh-hans"  # a Chinese-speaking customer on the portal
    personas.anna.save()
    with RunningServer(server_env(tmp_path)) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        phone, phone_csp = watched_context(
            browser, locale="zh-CN", viewport={"width": 390, "height": 844}
        )
        visitor = phone.new_page()
        sign_in(visitor, server.url, personas.anna)
        visitor.goto(f"{server.url}/portal/")
        visitor.click(".kefu-launcher")
        panel = visitor.locator(".kefu-panel").bounding_box()
        assert panel is not None and (panel["x"], panel["y"]) == (0, 0)
        assert (panel["width"], panel["height"]) == (390, 844)  # full screen on a phone
        visitor.fill(".kefu-compose textarea", "人工客服")
        visitor.press(".kefu-compose textarea", "Enter")
        expect(visitor.locator(".kefu-status")).to_contain_text("排队", timeout=15000)
        visitor.click(".kefu-close")
        title = visitor.title()

        desk, desk_csp = watched_context(browser, locale="zh-CN")
        agent = desk.new_page()
        sign_in(agent, server.url, personas.lena)
        agent.goto(f"{server.url}/desk/chat/")
        agent.locator("#queue button.primary").first.click(timeout=15000)
        pane = agent.locator(".pane:not([hidden])")
        pane.locator("textarea").fill("您好，我来帮您。")
        pane.locator("button.primary").click()

        expect(visitor.locator(".kefu-badge")).to_have_text("1", timeout=15000)
        expect(visitor).to_have_title(f"(1) 客服发来新消息 · {title}")
        visitor.screenshot(path=str(ARTIFACTS / "chat-unread-badge-zh-390.png"))
        visitor.click(".kefu-launcher")
        expect(visitor.locator(".kefu-agent")).to_contain_text("我来帮您")
        expect(visitor.locator(".kefu-badge")).to_be_hidden()
        expect(visitor).to_have_title(title)
        visitor.screenshot(path=str(ARTIFACTS / "chat-portal-agent-zh-390.png"))
        lines = visitor.locator(".kefu-log").inner_text()
        visitor.goto(f"{server.url}/help/")  # the human part comes back on the help centre too
        expect(visitor.locator(".kefu-agent")).to_contain_text("我来帮您", timeout=15000)
        assert visitor.locator(".kefu-log").inner_text() == lines
        expect(visitor.locator(".kefu-status")).to_contain_text("已接通")
        browser.close()
    phone_csp.assert_none()
    desk_csp.assert_none()
