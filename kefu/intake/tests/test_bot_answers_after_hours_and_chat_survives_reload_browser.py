"""Outside chat hours, in a real Chromium under the pages' Content-Security-Policy: the widget on
the help centre still greets, the bot answers from the knowledge base, asking for a person gets
the next opening time on the visitor's own clock and leave-a-message; a reload and a move to
another page of the site bring back every line of the chat (issue #14, must-show 4)."""

import pytest

from kefu.intake.chat.service import chat_open, next_opening
from kefu.intake.models import ChatSession
from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    RunningServer,
    close_chat_for_now,
    launch_chromium,
    server_env,
    watched_context,
)

VISITOR_ZONE = "America/New_York"  # a buyer in New York: the opening time on their clock
QUESTIONS = {
    "zh": "子账号怎么设置权限，只能看订单？",
    "en": "How do I create a sub-account for my purchaser?",
}
PERSON = {"zh": "人工客服", "en": "Talk to a person"}
CLOSED = {"zh": "非在线服务时间", "en": "Outside chat hours"}
REFUSAL = {"zh": "人工客服将于", "en": "Our agents answer chats again from"}

pytestmark = BROWSER_TEST


def _chat_after_hours(browser, url: str, lang: str, width: int, opening: str):
    from playwright.sync_api import expect

    locale = "zh-CN" if lang == "zh" else "en-US"
    viewport = {"width": width, "height": 844 if width < 500 else 900}
    context, csp = watched_context(
        browser, locale=locale, timezone_id=VISITOR_ZONE, viewport=viewport
    )
    page = context.new_page()
    page.goto(f"{url}/help/")
    page.click(".kefu-launcher")
    page.fill(".kefu-prechat input[name=name]", "王先生" if lang == "zh" else "Maria")
    page.fill(".kefu-prechat input[name=email]", f"{lang}{width}@buyer.test")
    page.click(".kefu-prechat button")
    expect(page.locator(".kefu-status")).to_contain_text(CLOSED[lang], timeout=15000)
    page.fill(".kefu-compose textarea", QUESTIONS[lang])
    page.press(".kefu-compose textarea", "Enter")
    expect(page.locator(".kefu-bot a").first).to_be_visible(timeout=15000)  # a KB article
    page.click(".kefu-human")
    refusal = page.locator(".kefu-bot").last
    expect(refusal).to_contain_text(REFUSAL[lang], timeout=15000)
    expect(refusal).to_contain_text(opening)  # the next opening, in New York time
    expect(page.locator(".kefu-leave-open")).to_be_visible()
    expect(page.locator(".kefu-status")).to_contain_text(CLOSED[lang])
    before = page.locator(".kefu-log").inner_text()
    lines = page.locator(".kefu-msg").count()
    name = f"chat-after-hours-{lang}-{width}"
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))

    page.reload()  # the chat comes back, open as it was, every line in order
    expect(page.locator(".kefu-msg")).to_have_count(lines, timeout=15000)
    assert page.locator(".kefu-log").inner_text() == before
    page.goto(f"{url}/help/?q=refund")  # another page of the site
    expect(page.locator(".kefu-msg")).to_have_count(lines, timeout=15000)
    assert page.locator(".kefu-log").inner_text() == before
    page.screenshot(path=str(ARTIFACTS / f"{name}-after-reload.png"))

    page.click(".kefu-leave-open")  # leave-a-message is one press away, name and all
    expect(page.locator(".kefu-leave")).to_be_visible()
    expect(page.locator(".kefu-leave input[name=email]")).to_have_value(f"{lang}{width}@buyer.test")
    page.screenshot(path=str(ARTIFACTS / f"{name}-leave.png"))
    page.click(".kefu-back")  # and back to the chat, nothing lost
    expect(page.locator(".kefu-msg")).to_have_count(lines)
    context.close()
    return csp, lines


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bot_answers_after_hours_refuses_handoff_and_chat_survives_reload(personas, tmp_path):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    close_chat_for_now()
    assert not chat_open()
    opening = next_opening(VISITOR_ZONE)
    assert opening.endswith(f"({VISITOR_ZONE})")
    found = []
    with RunningServer(server_env(tmp_path)) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for lang, width in (("zh", 390), ("en", 390), ("zh", 1280), ("en", 1280)):
            found.append(_chat_after_hours(browser, server.url, lang, width, opening))
        browser.close()
    for csp, lines in found:
        csp.assert_none()
        assert lines == 3  # the question, the bot's answer with articles, the refusal
    # Nobody was queued: outside the hours the handoff stays closed.
    assert not ChatSession.objects.exclude(state=ChatSession.State.BOT).exists()
    assert ChatSession.objects.count() == 4
