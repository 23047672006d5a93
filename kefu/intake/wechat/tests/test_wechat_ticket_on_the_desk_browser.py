"""A WeChat ticket on the desk, in Chromium, in Chinese and English: the customer's message, the
agent's reply and its customer-service message in the ticket's delivery list, failed with
WeChat's reason when the account cannot send (no AppSecret)."""

from __future__ import annotations

import shutil

import pytest
from django.test import Client
from django.utils import timezone

from kefu.crypto import _configured_keys
from kefu.delivery import outbox
from kefu.intake.wechat.models import WechatAccount
from kefu.intake.wechat.tests.fakes import make_account, message_xml, post_encrypted
from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    PASSWORD,
    RunningServer,
    api_client,
    launch_chromium,
    server_env,
    watched_context,
)
from kefu.tickets.models import Ticket

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = BROWSER_TEST


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_agent_sees_the_wechat_ticket_and_its_reply_delivery(personas, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    make_account()
    WechatAccount.objects.update(app_secret="")  # it cannot fetch a token: the reply fails
    post_encrypted(Client(), message_xml("收到的货少了两箱，订单 PO-3321"))
    ticket = Ticket.objects.get()
    api_client(personas.ada).post(f"/api/v1/tickets/{ticket.number}/messages",
                                  {"body": "您好，我们已联系仓库核实。"}, content_type="application/json")  # fmt: skip
    outbox.send_due(timezone.now())
    env = server_env(tmp_path, KEFU_ENCRYPTION_KEY=_configured_keys())
    with RunningServer(env) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context, watch = watched_context(
            browser, locale="zh-CN", viewport={"width": 1280, "height": 900}
        )
        page = context.new_page()
        page.goto(f"{server.url}/login/")
        page.fill("input[name=username]", personas.ada.email)
        page.fill("input[name=password]", PASSWORD)
        page.click("button.primary")
        page.wait_for_url(lambda at: "/login/" not in at)
        for language, wechat in (("zh-hans", "微信"), ("en", "WeChat")):
            with page.expect_navigation():
                page.locator("form.lang").evaluate(
                    f"form => {{ form.language.value = '{language}'; form.submit(); }}"
                )
            page.goto(f"{server.url}/desk/t/{ticket.number}/")
            log = page.locator(".mail-log")
            expect(log).to_contain_text(wechat)
            expect(log).to_contain_text("AppSecret")
            expect(page.locator("main")).to_contain_text("收到的货少了两箱")
            page.screenshot(
                path=str(ARTIFACTS / f"desk-wechat-ticket-{language}.png"), full_page=True
            )
        browser.close()
    watch.assert_none()
