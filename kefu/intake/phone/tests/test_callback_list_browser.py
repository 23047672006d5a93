"""The desk's callback list as an agent uses it in Chromium, in Chinese and English: a voicemail
left outside hours waits there with its ticket, menu choices and recording, until the agent
marks it called back; the ticket's page shows the call (verification, menu path, voicemail)."""

from __future__ import annotations

import pytest

from kefu.intake.phone import actions
from kefu.intake.phone.defaults import install_hotline
from kefu.intake.phone.models import CallbackTask, IvrOption
from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    RunningServer,
    free_port,
    launch_chromium,
    server_env,
    sign_in,
    watched_context,
)

VOICEMAIL = "https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE00000000000000voice"

pytestmark = BROWSER_TEST


def _voicemail_left(personas) -> CallbackTask:  # type: ignore[no-untyped-def]
    personas.otto.phone = "+8613800138000"
    personas.otto.save(update_fields=["phone"])
    line = install_hotline(code="merchant", kind="merchant", name="商家热线",
                           number="+864008001234", secret="s")  # fmt: skip
    call = actions.start_call(line=line, call_sid="CA" + "7" * 32, from_number="+8613800138000",
                              to_number=line.number)  # fmt: skip
    actions.note_choice(call=call, menu=line.menu, choice=IvrOption.objects.get(menu=line.menu,
                                                                                key="2"))  # fmt: skip
    actions.note_order(call=call, keyed="2026112300777")
    actions.open_ticket_for_call(call=call)
    task = actions.start_voicemail(call=call, reason=CallbackTask.Reason.VOICEMAIL)
    actions.voicemail_recorded(call=call, url=VOICEMAIL)
    return task


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_agent_works_the_callback_list_in_both_languages(personas, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    task = _voicemail_left(personas)
    number = task.ticket.number  # type: ignore[union-attr]
    verified = {"zh-hans": "已验证：注册电话号码", "en": "Verified: registered phone number"}
    port = free_port()
    env = server_env(tmp_path, KEFU_SITE_URL=f"http://127.0.0.1:{port}")
    with RunningServer(env, port=port) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context, watch = watched_context(browser, locale="zh-CN",
                                         viewport={"width": 1280, "height": 800})  # fmt: skip
        page = context.new_page()
        sign_in(page, server.url, personas.alice)
        for language, shown in (("zh-hans", "非工作时间留言"), ("en", "Voicemail outside hours")):
            with page.expect_navigation():  # what the top bar's language menu does
                page.locator("form.lang").evaluate(
                    f"form => {{ form.language.value = '{language}'; form.submit(); }}"
                )
            page.goto(f"{server.url}/desk/callbacks/")
            rows = page.locator("table.callbacks tbody")
            expect(rows).to_contain_text(number)
            expect(rows).to_contain_text(shown)
            expect(rows).to_contain_text("+8613800138000")
            expect(rows).to_contain_text("2 订单问题")
            page.screenshot(path=str(ARTIFACTS / f"desk-callbacks-{language}.png"), full_page=True)
            page.goto(f"{server.url}/desk/t/{number}/")
            panel = page.locator("section.calls")
            expect(panel).to_contain_text(verified[language])
            expect(panel).to_contain_text("2 订单问题")
            expect(panel.locator(f"a[href='{VOICEMAIL}']")).to_have_count(1)
            page.screenshot(
                path=str(ARTIFACTS / f"desk-ticket-call-{language}.png"), full_page=True
            )
            page.goto(f"{server.url}/desk/callbacks/")
        page.click("table.callbacks button")
        expect(page.locator("table.callbacks tbody")).to_contain_text("No calls to return")
        page.screenshot(path=str(ARTIFACTS / "desk-callbacks-done-en.png"), full_page=True)
        browser.close()
    watch.assert_none()
    task.refresh_from_db()
    assert task.done_at is not None and task.done_by == personas.alice.agent
