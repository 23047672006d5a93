"""The chat widget in a Spanish and an Arabic browser, 390 px wide: its own texts in the
browser's language, the panel right-to-left for Arabic, and the bot answering a question in the
visitor's language from an article in that language. Screenshots in test-artifacts/."""

import re

import pytest

from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    PHONE,
    RunningServer,
    launch_chromium,
    open_chat_around_the_clock,
    server_env,
    watched_context,
)

CASES = [
    # locale, question, the widget's "Talk to a person", the bot's answer opening, direction
    ("es-ES", "el banco me rechazó la tarjeta al pagar el pedido", "Hablar con una persona",
     "Este artículo debería responder a su pregunta", "ltr"),
    ("ar-EG", "تم رفض بطاقتي البنكية عند دفع الطلب، ماذا أفعل؟", "التحدث إلى شخص",
     "يُفترض أن تجيب هذه المقالة عن سؤالك", "rtl"),
]  # fmt: skip

pytestmark = BROWSER_TEST


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_widget_and_the_bot_speak_spanish_and_arabic(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    open_chat_around_the_clock()
    with RunningServer(server_env(tmp_path)) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for locale, question, human, answer, direction in CASES:
            context, csp = watched_context(browser, locale=locale, viewport=PHONE)
            page = context.new_page()
            page.goto(f"{server.url}/demo/order/PO-2026/")
            page.click(".kefu-launcher")
            panel = page.locator(".kefu-panel")
            expect(panel).to_have_attribute("dir", direction)
            expect(panel).to_have_attribute("lang", locale[:2])
            page.fill(".kefu-prechat input[name=email]", f"{locale}@buyer.test")
            page.click(".kefu-prechat button")
            expect(page.locator(".kefu-human")).to_have_text(human)
            page.fill(".kefu-compose textarea", question)
            page.press(".kefu-compose textarea", "Enter")
            bot = page.locator(".kefu-bot").last
            expect(bot).to_contain_text(answer, timeout=20000)
            link = bot.locator("a").first
            href = re.compile(rf"/help/payment-card-declined/\?lang={locale[:2]}$")
            expect(link).to_have_attribute("href", href)
            page.screenshot(path=str(ARTIFACTS / f"chat-widget-{locale[:2]}-390.png"))
            csp.assert_none()
            context.close()
