"""The desk's side of the store directory in Chromium, in Chinese and English: the agent
working Acme's ticket searches its contacts from the customer panel (by a phone typed without
spaces), edits one to add a QQ number, is told in their language when the QQ number is wrong,
and comes back to the ticket where the panel shows the change."""

from __future__ import annotations

import pytest

from kefu.contacts.models import StoreContact
from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    DESKTOP,
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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_agent_searches_and_edits_store_contacts_from_the_customer_panel(personas, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    ticket = assigned_ticket(personas, subject="Parcel for the Tmall store is stuck")
    for store, name, role, phone in (
        ("Acme 天猫旗舰店", "王磊", "logistics", "+86 138 0013 8000"),
        ("Acme 天猫旗舰店", "Li Na", "finance", "021-5555 1234"),
        ("Acme JD store", "Zhao Gang", "technical", "+86 139 0000 1111"),
    ):
        StoreContact.objects.create(
            organization=personas.acme, store=store, name=name, role=role, phone=phone
        )
    port = free_port()
    env = server_env(tmp_path, KEFU_SITE_URL=f"http://127.0.0.1:{port}")
    watches = []
    with RunningServer(env, port=port) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context, watch = watched_context(browser, locale="zh-CN", viewport=DESKTOP)
        watches.append(watch)
        desk = context.new_page()
        sign_in(desk, server.url, personas.alice)
        switch_language(desk, "zh-hans")
        desk.goto(f"{server.url}/desk/t/{ticket.number}/")
        panel = desk.locator("#store-contacts")
        panel.locator("[name=q]").fill("13800138000")
        panel.locator("button").click()
        expect(desk.locator("#store-directory .contact")).to_have_count(1)
        expect(desk.locator("#store-directory")).to_contain_text("王磊")
        desk.screenshot(path=str(ARTIFACTS / "store-contacts-desk-search-zh.png"), full_page=True)
        desk.locator(".contact", has_text="王磊").locator(".contact-edit").click()
        desk.fill("form.grid [name=qq]", "0123")
        desk.click("form.grid button.primary")
        expect(desk.locator("form.grid .error")).to_contain_text("QQ 号为 5 至 11 位数字")
        desk.screenshot(
            path=str(ARTIFACTS / "store-contacts-desk-edit-error-zh.png"), full_page=True
        )
        desk.fill("form.grid [name=qq]", "12345678")
        desk.click("form.grid button.primary")
        expect(desk.locator(".flash")).to_contain_text("负责人已保存")
        desk.get_by_role("link", name=f"返回工单 {ticket.number}").click()
        expect(desk.locator("#store-contacts .contact", has_text="王磊")).to_contain_text(
            "12345678"
        )
        switch_language(desk, "en")
        desk.goto(f"{server.url}/desk/organisations/{personas.acme.pk}/stores/?q=天猫")
        expect(desk.locator("#store-directory .contact")).to_have_count(2)
        expect(desk.locator("#contact-search")).to_contain_text("Show every contact")
        expect(desk.locator("#contact-search")).to_contain_text(
            "Search by store, name, phone or email"
        )
        desk.screenshot(path=str(ARTIFACTS / "store-contacts-desk-search-en.png"), full_page=True)
        desk.goto(f"{server.url}/desk/t/{ticket.number}/")
        expect(desk.locator("#store-contacts")).to_contain_text("QQ number")
        desk.screenshot(path=str(ARTIFACTS / "store-contacts-desk-panel-en.png"), full_page=True)
        context.close()
        browser.close()
    assert StoreContact.objects.get(name="王磊").qq == "12345678"
    for watch in watches:
        watch.assert_none()
