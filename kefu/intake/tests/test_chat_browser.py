"""The main chat journey in a real Chromium: widget on an order page, bot, 人工客服, an agent in
a second browser context, messages both ways, 满意, and the ticket that keeps it all — with the
pages' Content-Security-Policy enforced and not one violation."""

import pytest

from kefu.intake.models import ChatSession
from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    PASSWORD,
    RunningServer,
    launch_chromium,
    open_chat_around_the_clock,
    server_env,
    watched_context,
)

_chat_open_around_the_clock = open_chat_around_the_clock  # the name other tests import

pytestmark = BROWSER_TEST


def _photo() -> bytes:
    """A photo of a size a person would send (the preview must show something)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), "#d9b38c")
    ImageDraw.Draw(image).rectangle((120, 80, 360, 240), outline="#7a4b1f", width=8)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_visitor_bot_agent_rating_in_chromium(personas, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    open_chat_around_the_clock()
    personas.lena.language = "zh-hans"  # a Chinese-speaking lead takes the chat
    personas.lena.save()
    with RunningServer(server_env(tmp_path)) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        visitor_context, visitor_csp = watched_context(browser, locale="zh-CN")
        visitor = visitor_context.new_page()
        visitor.goto(f"{server.url}/demo/order/PO-2026/")
        visitor.click(".kefu-launcher")
        visitor.fill(".kefu-prechat input[name=name]", "王先生")
        visitor.fill(".kefu-prechat input[name=email]", "wang@buyer.test")
        visitor.click(".kefu-prechat button")
        visitor.fill(".kefu-compose textarea", "子账号怎么设置权限，只能看订单？")
        visitor.press(".kefu-compose textarea", "Enter")
        expect(visitor.locator(".kefu-bot a").first).to_be_visible(timeout=15000)
        visitor.fill(".kefu-compose textarea", "人工客服")
        visitor.press(".kefu-compose textarea", "Enter")
        expect(visitor.locator(".kefu-status")).to_contain_text("排队", timeout=15000)
        visitor.screenshot(path=str(ARTIFACTS / "chat-widget-queued.png"))

        agent_context, agent_csp = watched_context(browser, locale="zh-CN")
        agent = agent_context.new_page()
        agent.goto(f"{server.url}/login/")
        agent.fill("input[name=username]", personas.lena.email)
        agent.fill("input[name=password]", PASSWORD)
        agent.click("button.primary")
        agent.goto(f"{server.url}/desk/chat/")
        agent.locator("#queue button.primary").first.click(timeout=15000)
        pane = agent.locator(".pane:not([hidden])")
        expect(pane.locator(".log")).to_contain_text("人工客服", timeout=15000)
        pane.locator("textarea").fill("您好，我是客服 L0001，马上为您设置。")
        pane.locator("button.primary").click()
        expect(visitor.locator(".kefu-agent")).to_contain_text("马上为您设置", timeout=15000)
        visitor.fill(".kefu-compose textarea", "好的，谢谢！")
        visitor.press(".kefu-compose textarea", "Enter")
        expect(pane.locator(".log")).to_contain_text("好的，谢谢！", timeout=15000)
        # A photo: a preview on both sides, linked to the file.
        visitor.set_input_files(".kefu-file input", files=[{
            "name": "破损.png", "mimeType": "image/png", "buffer": _photo()}])  # fmt: skip
        expect(visitor.locator(".kefu-file-link img[alt='破损.png']")).to_be_visible(timeout=15000)
        expect(pane.locator(".chat-file img[alt='破损.png']")).to_be_visible(timeout=15000)
        visitor.screenshot(path=str(ARTIFACTS / "chat-widget-file.png"))
        agent.screenshot(path=str(ARTIFACTS / "chat-console.png"))
        pane.locator("button.end").click()
        expect(visitor.locator(".kefu-rate")).to_be_visible(timeout=15000)
        visitor.click(".kefu-stars button[data-rating=satisfied]")
        visitor.click(".kefu-rate button[type=submit]")
        expect(visitor.locator(".kefu-rate")).to_contain_text("感谢", timeout=15000)
        visitor.screenshot(path=str(ARTIFACTS / "chat-widget-rated.png"))

        # The console's side panel links the chat's ticket (no ORM here: Playwright's loop runs).
        ticket_path = pane.locator(".pane-side a[href*='/desk/t/']").first.get_attribute("href")
        agent.goto(server.url + ticket_path)
        page = agent.content()
        agent.screenshot(path=str(ARTIFACTS / "chat-ticket.png"), full_page=True)
        browser.close()
    # Under the pages' Content-Security-Policy nothing was blocked: no inline script, and the
    # widget's and the console's WebSockets are 'self'.
    visitor_csp.assert_none()
    agent_csp.assert_none()
    chat = ChatSession.objects.select_related("ticket").get()
    assert (chat.rating, chat.ticket.order_id) == ("satisfied", "PO-2026")
    for text in ("子账号怎么设置权限", "马上为您设置", "好的，谢谢！", "PO-2026", "满意"):
        assert text in page
