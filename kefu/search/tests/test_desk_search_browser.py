"""The desk's search box in a real Chromium, in Chinese and English: a 2-character word found in
a later message of a resolved ticket, its snippet shown with the word marked and the markup the
customer typed shown as text."""

from __future__ import annotations

import pytest
from django.utils import translation

from kefu.accounts.models import User
from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    RunningServer,
    launch_chromium,
    make_ticket,
    server_env,
    sign_in,
    watched_context,
)
from kefu.tickets import actions
from kefu.tickets.models import Status

pytestmark = BROWSER_TEST


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_agent_finds_a_resolved_ticket_by_a_word_in_a_later_message(
    personas, tmp_path, language
):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    User.objects.filter(pk=personas.ada.pk).update(language=language)
    ticket = make_ticket(personas.anna, subject="Order PO-31415 question", body="Where is it?")
    actions.add_message(ticket=ticket, actor=personas.viewer(personas.anna),
                        body="收到了。<b>请开发票</b>给我们，抬头是顶峰贸易。")  # fmt: skip
    actions.change_status(ticket=ticket, actor=personas.viewer(personas.ada),
                          status=Status.RESOLVED)  # fmt: skip
    other = make_ticket(personas.otto, subject="发货慢", body="还没发货")
    lang = "zh" if language == "zh-hans" else "en"
    with RunningServer(server_env(tmp_path)) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context, violations = watched_context(browser, viewport={"width": 1280, "height": 800})
        page = context.new_page()
        sign_in(page, server.url, personas.ada)
        page.goto(f"{server.url}/desk/")
        page.fill(".filters input[name=q]", "发票")
        page.press(".filters input[name=q]", "Enter")
        rows = page.locator("#queue tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(ticket.number)
        expect(rows.first.locator(".snippet mark")).to_have_text("发票")
        expect(rows.first.locator(".snippet")).to_contain_text("<b>请开")
        expect(page.locator("#queue")).not_to_contain_text(other.number)
        page.reload()  # the address has the query; the filters say a search is any status
        with translation.override(language):
            any_status = translation.gettext("Any status")
        expect(page.locator(".filters select[name=status] option").first).to_have_text(any_status)
        page.screenshot(path=str(ARTIFACTS / f"desk-search-{lang}.png"), full_page=True)
        browser.close()
    violations.assert_none()
