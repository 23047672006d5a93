"""Sub-account management as people use it in Chromium, under the strict CSP: Acme's main
account, on a phone (390 px) in Chinese and on a desktop in English, invites a colleague (a
mistake first, refused on its field), changes a sub-account's permissions and deactivates and
reactivates it; the invitee follows the mailed link, chooses a password and signs in."""

from __future__ import annotations

import re

import pytest

from kefu.accounts.models import User
from kefu.delivery.models import Delivery
from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    DESKTOP,
    PHONE,
    RunningServer,
    free_port,
    launch_chromium,
    server_env,
    sign_in,
    switch_language,
    watched_context,
)

pytestmark = BROWSER_TEST


def _shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"sub-accounts-{name}.png"), full_page=True)


def _invite(page, email: str, name: str, scope_labels: list[str]) -> None:
    form = page.locator("#invite-sub-account form")
    form.locator("[name=email]").fill(email)
    form.locator("[name=name]").fill(name)
    for label in scope_labels:
        form.get_by_label(label).check()
    form.locator("button.primary").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_main_account_manages_sub_accounts_and_an_invitee_signs_in(
    personas, tmp_path, monkeypatch
):
    from playwright.sync_api import expect, sync_playwright

    # The test reads the outbox between pages, inside Playwright's event loop.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    ARTIFACTS.mkdir(exist_ok=True)
    sam = personas.sam.account
    port = free_port()
    env = server_env(tmp_path, KEFU_SITE_URL=f"http://127.0.0.1:{port}")
    watches = []
    with RunningServer(env, port=port) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)

        # Chinese, on a phone.
        context, watch = watched_context(browser, locale="zh-CN", viewport=PHONE)
        watches.append(watch)
        phone = context.new_page()
        sign_in(phone, server.url, personas.anna)
        switch_language(phone, "zh-hans")
        phone.get_by_role("link", name="子账号").click()
        expect(phone.locator("h1")).to_have_text("子账号")
        _invite(phone, "li.na@acme", "李娜", ["创建工单"])
        expect(phone.locator("#invite-sub-account .error")).to_contain_text(
            "请填写有效的电子邮箱地址"
        )
        expect(phone.locator("#invite-sub-account [name=name]")).to_have_value("李娜")
        _shot(phone, "invite-error-zh-390")
        phone.locator("#invite-sub-account [name=email]").fill("li.na@acme.test")
        phone.locator("#invite-sub-account button.primary").click()
        expect(phone.locator(".flash")).to_contain_text("已向 li.na@acme.test 发送邀请")
        expect(phone.locator("#sub-accounts")).to_contain_text("已邀请，尚未设置密码")
        card = phone.locator(f"#sub-account-{sam.pk}")
        card.get_by_label("查看订单相关工单").uncheck()
        card.locator("button.primary").click()
        expect(phone.locator(".flash")).to_contain_text("sam@acme.test 的权限已保存")
        phone.locator(f"#sub-account-{sam.pk} .active-form button").click()
        expect(phone.locator(f"#sub-account-{sam.pk} .badge")).to_have_text("已停用")
        _shot(phone, "managed-zh-390")
        context.close()

        sam.refresh_from_db()
        assert sam.scopes == ["create_tickets"] and not sam.user.is_active
        mail = Delivery.objects.get(to=["li.na@acme.test"])
        link = re.search(r"https?://\S+/invite/\S+/", mail.text)
        assert link and "受邀" in mail.subject

        # The invitee, without a session, chooses a password and signs in.
        context, watch = watched_context(browser, locale="zh-CN", viewport=PHONE)
        watches.append(watch)
        invitee = context.new_page()
        invitee.goto(link.group(0))
        expect(invitee.locator("h1")).to_have_text("设置您的密码")
        _shot(invitee, "invitation-zh-390")
        invitee.fill("[name=new_password1]", "harbour-lantern-47")
        invitee.fill("[name=new_password2]", "harbour-lantern-47")
        invitee.locator("button.primary").click()
        expect(invitee.locator("h1")).to_have_text("您的密码已设置")
        invitee.locator("a.button.primary").click()
        invitee.fill("input[name=username]", "li.na@acme.test")
        invitee.fill("input[name=password]", "harbour-lantern-47")
        invitee.click("button.primary")
        invitee.wait_for_load_state()
        expect(invitee.get_by_role("link", name="子账号")).to_have_count(0)
        assert invitee.goto(f"{server.url}/portal/team/").status == 403
        context.close()

        # English, on a desktop: reactivate Sam.
        context, watch = watched_context(browser, locale="en-US", viewport=DESKTOP)
        watches.append(watch)
        desk = context.new_page()
        sign_in(desk, server.url, personas.anna)
        switch_language(desk, "en")
        desk.goto(f"{server.url}/portal/team/")
        expect(desk.locator("h1")).to_have_text("Sub-accounts")
        _invite(desk, "sam@acme.test", "Sam again", [])
        expect(desk.locator("#invite-sub-account .error")).to_contain_text(
            "A user with this email already exists."
        )
        _shot(desk, "invite-error-en-desktop")
        desk.locator(f"#sub-account-{sam.pk} .active-form button").click()
        expect(desk.locator(".flash")).to_contain_text("sam@acme.test can sign in again")
        expect(desk.locator(f"#sub-account-{sam.pk} .badge")).to_have_text("Active")
        _shot(desk, "managed-en-desktop")
        context.close()

        context, watch = watched_context(browser, locale="en-US", viewport=PHONE)
        watches.append(watch)
        small = context.new_page()
        sign_in(small, server.url, personas.anna)
        switch_language(small, "en")
        small.goto(f"{server.url}/portal/team/")
        _shot(small, "managed-en-390")
        context.close()
        browser.close()

    assert User.objects.get(email="li.na@acme.test").has_usable_password()
    for watch in watches:
        watch.assert_none()
