"""The store contact directory as people use it in Chromium: Acme's main account adds and
edits its stores' contacts in the portal on a phone (390 px) and on a desktop, in Chinese and
English; the agent working Acme's ticket sees them on the desk's customer panel."""

from __future__ import annotations

import pytest

from kefu.contacts.models import StoreContact
from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    DESKTOP,
    PHONE,
    RunningServer,
    assigned_ticket,
    free_port,
    launch_chromium,
    server_env,
    sign_in,
    switch_language,
    watched_context,
)

pytestmark = BROWSER_TEST


def _fill(page, **values: str) -> None:
    for name, value in values.items():
        field = page.locator(f"#add-contact [name={name}], form.grid [name={name}]").first
        if name == "role":
            field.select_option(value)
        else:
            field.fill(value)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_main_account_edits_store_contacts_and_the_agent_sees_them(personas, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    ticket = assigned_ticket(personas, subject="Parcel for the Tmall store is stuck")
    port = free_port()
    env = server_env(tmp_path, KEFU_SITE_URL=f"http://127.0.0.1:{port}")
    watches = []
    with RunningServer(env, port=port) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context, watch = watched_context(browser, locale="zh-CN", viewport=PHONE)
        watches.append(watch)
        phone = context.new_page()
        sign_in(phone, server.url, personas.anna)
        switch_language(phone, "zh-hans")
        phone.goto(f"{server.url}/portal/stores/")
        expect(phone.locator("h1")).to_have_text("店铺负责人")
        # A mistake first: the phone is refused on its field, in Chinese, and nothing is lost.
        _fill(
            phone,
            store="Acme 天猫旗舰店",
            name="王磊",
            role="logistics",
            phone="找前台",
            email="wang.lei@acme.test",
        )
        phone.click("#add-contact button.primary")
        expect(phone.locator("#add-contact .error")).to_contain_text(
            "请填写 6 至 20 位数字的电话号码"
        )
        expect(phone.locator("#add-contact [name=name]")).to_have_value("王磊")
        phone.screenshot(
            path=str(ARTIFACTS / "store-contacts-portal-error-zh-390.png"), full_page=True
        )
        _fill(phone, phone="+86 138 0013 8000", wechat="wanglei_acme", notes="工作日 9:00-18:00")
        phone.click("#add-contact button.primary")
        expect(phone.locator(".flash")).to_contain_text("负责人已保存")
        _fill(
            phone,
            store="Acme 天猫旗舰店",
            name="Li Na",
            role="finance",
            phone="021-5555 1234",
            email="li.na@acme.test",
        )
        phone.click("#add-contact button.primary")
        _fill(
            phone,
            store="Acme JD store",
            name="Zhao Gang",
            role="technical",
            email="zhao.gang@acme.test",
        )
        phone.click("#add-contact button.primary")
        expect(phone.locator("#store-directory .store")).to_have_count(2)
        # Edit one: Li Na moves to operations.
        phone.locator(".contact", has_text="Li Na").locator(".contact-edit").click()
        phone.locator("form.grid [name=role]").select_option("operations")
        phone.click("form.grid button.primary")
        expect(phone.locator(".contact", has_text="Li Na")).to_contain_text("运营")
        phone.screenshot(path=str(ARTIFACTS / "store-contacts-portal-zh-390.png"), full_page=True)
        switch_language(phone, "en")
        phone.goto(f"{server.url}/portal/stores/")
        expect(phone.locator("h1")).to_have_text("Store contacts")
        expect(phone.locator(".contact", has_text="王磊")).to_contain_text("Logistics")
        phone.screenshot(path=str(ARTIFACTS / "store-contacts-portal-en-390.png"), full_page=True)
        context.close()

        for language in ("en", "zh-hans"):
            context, watch = watched_context(browser, locale="en-US", viewport=DESKTOP)
            watches.append(watch)
            page = context.new_page()
            sign_in(page, server.url, personas.anna)
            switch_language(page, language)
            page.goto(f"{server.url}/portal/stores/")
            page.screenshot(
                path=str(ARTIFACTS / f"store-contacts-portal-{language}.png"), full_page=True
            )
            context.close()

            context, watch = watched_context(browser, locale="en-US", viewport=DESKTOP)
            watches.append(watch)
            desk = context.new_page()
            sign_in(desk, server.url, personas.alice)
            switch_language(desk, language)
            desk.goto(f"{server.url}/desk/t/{ticket.number}/")
            panel = desk.locator("#store-contacts")
            expect(panel).to_contain_text("Acme 天猫旗舰店")
            expect(panel.locator(".contact", has_text="王磊")).to_contain_text("+86 138 0013 8000")
            expect(panel.locator(".contact", has_text="Zhao Gang")).to_contain_text(
                "zhao.gang@acme.test"
            )
            expect(panel).to_contain_text("物流" if language == "zh-hans" else "Logistics")
            panel.scroll_into_view_if_needed()
            desk.screenshot(
                path=str(ARTIFACTS / f"store-contacts-desk-{language}.png"), full_page=True
            )
            context.close()
        browser.close()
    assert StoreContact.objects.filter(organization=personas.acme).count() == 3
    for watch in watches:
        watch.assert_none()
