"""The help centre in Chromium, 390 px wide: the topics in Chinese and English with the
article-language filter, the Arabic list and an Arabic article right to left in a page that stays
English. Screenshots in test-artifacts/."""

import pytest

from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    PHONE,
    RunningServer,
    launch_chromium,
    server_env,
    watched_context,
)

pytestmark = BROWSER_TEST


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_help_centre_lists_and_shows_articles_in_other_languages(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with RunningServer(server_env(tmp_path)) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for locale in ("zh-CN", "en-US"):
            context, csp = watched_context(browser, locale=locale, viewport=PHONE)
            page = context.new_page()
            page.goto(f"{server.url}/help/")
            expect(page.locator(".kb-languages a[lang=ar]")).to_have_text("العربية")
            page.screenshot(path=str(ARTIFACTS / f"help-index-{locale[:2]}-390.png"))
            csp.assert_none()
            context.close()

        context, csp = watched_context(browser, locale="en-US", viewport=PHONE)
        page = context.new_page()
        page.goto(f"{server.url}/help/")
        page.click(".kb-languages a[lang=ar]")
        expect(page.locator(".kb-languages a[aria-current=page]")).to_have_text("العربية")
        titles = page.locator(".kb-section li a")
        expect(titles).to_have_count(12)
        expect(titles.first).to_have_attribute("dir", "rtl")
        page.screenshot(path=str(ARTIFACTS / "help-index-ar-390.png"), full_page=True)
        page.goto(f"{server.url}/help/payment-card-declined/?lang=ar")
        article = page.locator("article.kb-article")
        expect(article).to_have_attribute("dir", "rtl")
        expect(article).to_have_attribute("lang", "ar")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.screenshot(path=str(ARTIFACTS / "help-article-ar-390.png"), full_page=True)
        csp.assert_none()
        context.close()
