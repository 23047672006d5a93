"""The portal's WeChat page as a customer uses it in Chromium, on a phone (390 px) and a desk, in
Chinese and English: get a binding code, see the linked WeChat users, unlink one."""

from __future__ import annotations

import shutil

import pytest
from django.utils import timezone

from kefu.crypto import _configured_keys
from kefu.intake.wechat.inbound import contact_for
from kefu.intake.wechat.models import WechatFollower
from kefu.intake.wechat.tests.fakes import make_account
from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    PASSWORD,
    PHONE,
    RunningServer,
    launch_chromium,
    server_env,
    switch_language,
    watched_context,
)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = BROWSER_TEST


def _signed_in(browser, url: str, email: str, locale: str, viewport: dict[str, int]):
    context, watch = watched_context(browser, locale=locale, viewport=viewport)
    page = context.new_page()
    page.goto(f"{url}/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(lambda at: "/login/" not in at)
    return page, watch


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_customer_gets_a_code_and_unlinks_a_wechat_user_on_a_phone_and_a_desk(personas, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    account = make_account()
    WechatFollower.objects.create(account=account, openid="oLinkedPhone-abc123", user=personas.anna,
                                  bound_at=timezone.now())  # fmt: skip
    contact_for(account, "oLinkedPhone-abc123")
    watches = []
    env = server_env(tmp_path, KEFU_ENCRYPTION_KEY=_configured_keys())  # reads the secrets
    with RunningServer(env) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for viewport, name in ((PHONE, "phone"), ({"width": 1280, "height": 800}, "desk")):
            page, watch = _signed_in(browser, server.url, personas.anna.email, "zh-CN", viewport)
            watches.append(watch)
            for language, button, linked in (("zh-hans", "获取绑定码", "已关联的微信用户"),
                                             ("en", "Get a binding code", "Linked WeChat users")):  # fmt: skip
                switch_language(page, language)
                page.goto(f"{server.url}/portal/wechat/")
                expect(page.locator("main")).to_contain_text(linked)
                expect(page.locator("main")).to_contain_text("…abc123")
                page.get_by_role("button", name=button).click()
                expect(page.get_by_test_id("binding-code")).to_contain_text("绑定 ")
                page.screenshot(
                    path=str(ARTIFACTS / f"portal-wechat-{name}-{language}.png"), full_page=True
                )
        page.get_by_role("button", name="Unlink").click()
        expect(page.locator(".flash")).to_contain_text("no longer linked")
        expect(page.locator("main")).not_to_contain_text("…abc123")
        page.screenshot(path=str(ARTIFACTS / "portal-wechat-unlinked-en.png"), full_page=True)
        browser.close()
    for watch in watches:
        watch.assert_none()
    assert not WechatFollower.objects.get().is_bound
