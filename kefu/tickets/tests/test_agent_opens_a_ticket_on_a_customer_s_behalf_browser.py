"""An agent on the phone opens a ticket for the caller by keyboard in Chromium, in English and
Chinese: `C` from the queue, the customer search, Enter on a result, the portal's fields, Enter to
submit; and a new contact who is not found. The ticket page then shows the event in the history
and the customer panel (organisation, tier, manager, scopes, other tickets, orders, ratings)."""

from __future__ import annotations

import pytest

from kefu.accounts.models import Organization
from kefu.ratings import actions as ratings
from kefu.ratings.models import Rating
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
from kefu.tickets import actions
from kefu.tickets.models import Ticket

pytestmark = BROWSER_TEST

WORDS = {
    "en": {"title": "New ticket for a customer", "event": "on the customer's behalf (Phone)",
           "none": "No one found", "panel": "Key account"},
    "zh-hans": {"title": "代客户新建工单", "event": "代客户创建了工单（电话）",
                "none": "未找到", "panel": "重点客户"},
}  # fmt: skip


# Different words each time: the same words again would join the first ticket as a repeat.
BODY = {"en": "The caller says PO-88 is a week late.", "zh-hans": "来电客户说 PO-88 晚到一周。"}


def _history(personas) -> None:
    """Anna has asked before: a rated ticket about PO-7 (shipment SF1234567890)."""
    Organization.objects.filter(pk=personas.acme.pk).update(
        tier=Organization.Tier.KEY_ACCOUNT, account_manager=personas.lena.agent
    )
    ticket = assigned_ticket(personas, order_id="PO-7", shipment_code="SF1234567890")
    actions.change_status(ticket=ticket, actor=personas.viewer(personas.alice), status="resolved")
    ratings.rate_ticket(ticket=Ticket.objects.get(pk=ticket.pk), actor=personas.viewer(personas.anna),
                        score="satisfied", comment="Quick", via=Rating.Via.PORTAL)  # fmt: skip


def _open_for_anna(page, base: str, language: str) -> None:
    page.goto(f"{base}/desk/")
    page.keyboard.press("c")
    page.wait_for_url(f"{base}/desk/new/")
    page.wait_for_function("document.activeElement.id === 'customer-q'")  # the search has the focus
    page.keyboard.type("acme")
    page.keyboard.press("Enter")
    page.wait_for_url("**/desk/new/?q=acme")
    # the search field again holds the focus (autofocus lands at the next rendering, after load)
    page.wait_for_function("document.activeElement.id === 'customer-q'")
    page.keyboard.press("Tab")  # Tab → Find
    page.keyboard.press("Tab")  # → the first customer found
    assert "Anna" in page.evaluate("document.activeElement.textContent")
    page.screenshot(path=str(ARTIFACTS / f"on-behalf-search-{language}.png"), full_page=True)
    page.keyboard.press("Enter")
    page.wait_for_url("**/desk/new/?requester=*")
    page.locator("#id_channel").focus()  # Phone is chosen already; Tab on through the form
    for _ in range(2):
        page.keyboard.press("Tab")
    page.keyboard.type("PO-88")  # the order id
    page.keyboard.press("Tab")
    page.keyboard.type("Parcel late" if language == "en" else "包裹延误")
    page.keyboard.press("Tab")
    page.keyboard.type(BODY[language])
    page.screenshot(path=str(ARTIFACTS / f"on-behalf-form-{language}.png"), full_page=True)
    page.keyboard.press("Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter in the subject submits


def _new_contact_not_found(page, base: str, language: str) -> None:
    page.goto(f"{base}/desk/new/?q=Wang+Fang")
    assert WORDS[language]["none"] in page.locator(".customer-results").inner_text()
    page.locator("#id_contact_name").focus()
    page.keyboard.type("王芳")
    page.keyboard.press("Tab")
    page.keyboard.type("anna@acme.test")  # a known address: refused, pointing at the search
    page.locator("#id_body").focus()
    page.keyboard.type("想咨询退货流程。")
    page.locator("#id_subject").focus()
    page.keyboard.type("退货")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#id_contact_email[aria-invalid=true]").count() == 1
    assert page.locator("#id_contact_name").input_value() == "王芳"  # nothing typed is lost
    page.screenshot(path=str(ARTIFACTS / f"on-behalf-new-contact-error-{language}.png"),
                    full_page=True)  # fmt: skip


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_agent_opens_a_ticket_for_a_caller_by_keyboard(personas, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    _history(personas)
    port = free_port()
    env = server_env(tmp_path, KEFU_SITE_URL=f"http://127.0.0.1:{port}")
    watches = []
    with RunningServer(env, port=port) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for language in ("en", "zh-hans"):
            context, watch = watched_context(browser, locale="en-US", viewport=DESKTOP)
            watches.append(watch)
            page = context.new_page()
            sign_in(page, server.url, personas.alice)
            switch_language(page, language)
            _open_for_anna(page, server.url, language)
            expect(page.locator("#timeline")).to_contain_text(WORDS[language]["event"])
            panel = page.locator("#customer-panel")
            expect(panel).to_contain_text(WORDS[language]["panel"])
            expect(panel).to_contain_text("SF1234567890")
            expect(panel).to_contain_text("L0001")
            page.screenshot(path=str(ARTIFACTS / f"on-behalf-ticket-{language}.png"),
                            full_page=True)  # fmt: skip
            panel.screenshot(path=str(ARTIFACTS / f"customer-panel-{language}.png"))
            _new_contact_not_found(page, server.url, language)
            context.close()
        browser.close()
    assert Ticket.objects.filter(channel="phone", requester=personas.anna).count() == 2
    for watch in watches:
        watch.assert_none()
