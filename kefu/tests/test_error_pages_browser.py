"""The 404 page in a real Chromium, in Chinese and English and 390 px wide: styled like the
rest of Kefu, with a way back home. Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest

from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    RunningServer,
    launch_chromium,
    server_env,
    watched_context,
)

pytestmark = BROWSER_TEST


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_missing_page_reads_in_each_language_and_fits_a_phone(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with RunningServer(server_env(tmp_path)) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for locale, lang, title in (
            ("en-US", "en", "Page not found"),
            ("zh-CN", "zh", "页面不存在"),
        ):
            for width in (1280, 390):
                context, violations = watched_context(
                    browser, locale=locale, viewport={"width": width, "height": 800}
                )
                page = context.new_page()
                response = page.goto(f"{server.url}/no-such-page/")
                assert response is not None and response.status == 404
                expect(page.locator("h1")).to_have_text(title)
                expect(page.locator(".error-page a.button")).to_be_visible()
                page.screenshot(path=str(ARTIFACTS / f"error-404-{lang}-{width}.png"))
                context.close()
                violations.assert_none()
        browser.close()
