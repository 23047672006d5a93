"""Macros and keyboard shortcuts as an agent uses them in Chromium, in English and Chinese:
the `?` overlay, a macro with placeholders and actions chosen by typing `/` in the reply box and
sent with Ctrl+Enter (one submit: text, status and tags), the other shortcuts, the macro list
and editor, and a macro in the chat console — with the pages' CSP enforced throughout."""

from __future__ import annotations

import re

import pytest

from kefu.intake.models import ChatSession
from kefu.macros.models import Macro, Scope
from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    DESKTOP,
    RunningServer,
    assigned_ticket,
    launch_chromium,
    make_ticket,
    open_chat_around_the_clock,
    server_env,
    sign_in,
    switch_language,
    watched_context,
)
from kefu.tickets.models import Status, Ticket

pytestmark = BROWSER_TEST

# English a Chinese desk page must not show: status and priority labels, field and event words.
ENGLISH = re.compile(
    r"\b(New|Open|Pending customer|On hold|Resolved|Closed|pending_customer|on_hold|"
    r"Urgent|High|Normal|changed|status|priority|tags|assignee|created the ticket|replied|"
    r"added an internal note)\b"
)


def _evidence_macro() -> Macro:
    macro = Macro(
        title_en="Ask for evidence",
        title_zh="索取凭证",
        text_en="Hello {{customer.name}}, please send a photo of the parcel for "
        "{{ticket.number}} (order {{ticket.order_id}}). — {{agent.code}}",
        text_zh="{{customer.name}}您好，请提供工单 {{ticket.number}}（订单 {{ticket.order_id}}）"
        "的包裹照片。—— {{agent.code}}",
        scope=Scope.GLOBAL,
        set_status=Status.PENDING_CUSTOMER,
        add_tags=["awaiting-evidence"],
        note="Asked {{customer.name}} for a photo.",
    )
    macro.full_clean()
    macro.save()
    return macro


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_macro_by_keyboard_sets_text_status_and_tags_in_one_submit(personas, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    macro = _evidence_macro()
    first = assigned_ticket(personas, order_id="PO-77", subject="Parcel arrived broken")
    second = make_ticket(personas.otto, category="order_trade", order_id="PO-88",
                         subject="包裹破损")  # fmt: skip
    with RunningServer(server_env(tmp_path)) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context, csp = watched_context(browser, locale="en-US", viewport=DESKTOP)
        page = context.new_page()
        sign_in(page, server.url, personas.alice)
        switch_language(page, "en")
        page.goto(f"{server.url}/desk/t/{first.number}/")

        # "?" shows every shortcut; Esc closes the list.
        page.keyboard.press("?")
        overlay = page.locator("dialog#shortcuts")
        expect(overlay).to_be_visible()
        expect(overlay).to_contain_text("Apply a macro")
        page.screenshot(path=str(ARTIFACTS / "shortcuts-overlay-en.png"))
        page.keyboard.press("Escape")
        expect(overlay).to_be_hidden()

        # R → the reply box; "/" and a few letters find the macro; Enter applies it.
        page.keyboard.press("r")
        box = page.locator("#reply-form textarea[name=body]")
        expect(box).to_be_focused()
        page.keyboard.type("/evid")
        picker = page.locator("#reply-form .macro-picker")
        expect(picker).to_be_visible()
        expect(picker.locator("[role=option][aria-selected=true]")).to_contain_text(
            "Ask for evidence"
        )
        page.screenshot(path=str(ARTIFACTS / "macro-picker-en.png"))
        page.keyboard.press("Enter")
        expect(box).to_have_value(
            f"Hello Anna, please send a photo of the parcel for {first.number} (order PO-77)."
            " — A0001"
        )
        applied = page.locator("#reply-form .macro-applied")
        expect(applied).to_contain_text("Ask for evidence")
        expect(applied).to_contain_text("Pending customer")
        expect(applied).to_contain_text("awaiting-evidence")
        page.screenshot(path=str(ARTIFACTS / "macro-applied-en.png"))

        # Ctrl+Enter: one submit — the reply, the status, the tags and the note.
        with page.expect_navigation():
            page.keyboard.press("Control+Enter")
        expect(page.locator("#ticket-head .badge.status-pending_customer")).to_be_visible()
        expect(page.locator("#ticket-facts")).to_contain_text("awaiting-evidence")
        expect(page.locator("#timeline")).to_contain_text("please send a photo of the parcel")
        expect(page.locator("#timeline")).to_contain_text("Asked Anna for a photo.")

        # Tab lands on something with a visible focus ring.
        page.locator("body").click(position={"x": 5, "y": 300})
        page.keyboard.press("Tab")
        ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert ring not in ("none", "")

        # N → an internal note; S → the status field; J/K → the neighbours in the queue.
        page.keyboard.press("Escape")
        page.keyboard.press("n")
        expect(box).to_be_focused()
        expect(page.locator("#reply-form input[name=internal]")).to_be_checked()
        page.keyboard.press("Escape")
        page.keyboard.press("s")
        expect(page.locator("#update-form select[name=status]")).to_be_focused()
        page.keyboard.press("Escape")
        head = page.locator("#ticket-head")
        key, back = ("j", "k") if head.get_attribute("data-next-url") else ("k", "j")
        with page.expect_navigation():
            page.keyboard.press(key)
        assert second.number in page.url
        # A → assign to me (Otto's ticket is in Alice's team's queue, unassigned).
        with page.expect_navigation():
            page.keyboard.press("a")
        expect(page.locator("#update-form select[name=assignee] option:checked")).to_contain_text(
            "A0001"
        )
        with page.expect_navigation():
            page.keyboard.press(back)
        assert first.number in page.url

        # Ctrl+Alt+S: send and set the status to resolved.
        page.keyboard.press("r")
        page.keyboard.type("Thanks, all sorted.")
        with page.expect_navigation():
            page.keyboard.press("Control+Alt+KeyS")
        expect(page.locator("#ticket-head .badge.status-resolved")).to_be_visible()

        # In the queue, J/K move the focus between tickets and Enter opens one.
        page.goto(f"{server.url}/desk/")
        page.keyboard.press("j")
        expect(page.locator("#queue tbody a[href*='/desk/t/']").first).to_be_focused()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "/desk/t/KF" in page.url

        # The macro list and the editor, in English.
        page.goto(f"{server.url}/desk/macros/")
        expect(page.locator("table.macros")).to_contain_text("Ask for evidence")
        page.screenshot(path=str(ARTIFACTS / "macro-list-en.png"), full_page=True)
        page.goto(f"{server.url}/desk/macros/new/")
        page.screenshot(path=str(ARTIFACTS / "macro-editor-en.png"), full_page=True)

        # In Chinese: Otto's ticket, the macro's Chinese text, and no English labels.
        switch_language(page, "zh-hans")
        page.goto(f"{server.url}/desk/t/{second.number}/")
        page.keyboard.press("?")
        expect(page.locator("dialog#shortcuts")).to_contain_text("使用快捷回复")
        page.screenshot(path=str(ARTIFACTS / "shortcuts-overlay-zh.png"))
        page.keyboard.press("Escape")
        page.keyboard.press("m")
        page.keyboard.type("索取")
        expect(picker.locator("[role=option][aria-selected=true]")).to_contain_text("索取凭证")
        page.screenshot(path=str(ARTIFACTS / "macro-picker-zh.png"))
        page.keyboard.press("Enter")
        expect(box).to_have_value(re.compile(r"^Otto您好，请提供工单 " + second.number))
        expect(page.locator("#reply-form .macro-applied")).to_contain_text("待客户回复")
        with page.expect_navigation():
            page.keyboard.press("Control+Enter")
        expect(page.locator("#ticket-head .badge.status-pending_customer")).to_have_text(
            "待客户回复"
        )
        timeline = page.locator("#timeline").inner_text()
        assert "状态" in timeline and "待客户回复" in timeline
        assert ENGLISH.findall(timeline) == []
        assert ENGLISH.findall(page.locator("#ticket-head").inner_text()) == []
        page.screenshot(path=str(ARTIFACTS / "desk-ticket-after-macro-zh.png"), full_page=True)
        page.goto(f"{server.url}/desk/")
        assert ENGLISH.findall(page.locator("#queue").inner_text()) == []
        page.goto(f"{server.url}/desk/macros/")
        page.screenshot(path=str(ARTIFACTS / "macro-list-zh.png"), full_page=True)
        page.goto(f"{server.url}/desk/macros/new/")
        page.screenshot(path=str(ARTIFACTS / "macro-editor-zh.png"), full_page=True)
        browser.close()
    csp.assert_none()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.RESOLVED and first.tags == ["awaiting-evidence"]
    assert second.status == Status.PENDING_CUSTOMER and second.assignee == personas.alice.agent
    assert second.messages.filter(body__startswith="Otto您好").exists()
    macro.refresh_from_db()
    assert macro.usage_count == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_macro_in_the_chat_console_works_the_same(personas, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    open_chat_around_the_clock()
    _evidence_macro()
    personas.lena.language = "zh-hans"
    personas.lena.save()
    with RunningServer(server_env(tmp_path)) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        visitor_context, visitor_csp = watched_context(browser, locale="zh-CN")
        visitor = visitor_context.new_page()
        visitor.goto(f"{server.url}/demo/order/PO-2026/")
        visitor.click(".kefu-launcher")
        visitor.fill(".kefu-prechat input[name=name]", "王先生")
        visitor.fill(".kefu-prechat input[name=email]", "wang@buyer.test")
        visitor.click(".kefu-prechat button")
        visitor.fill(".kefu-compose textarea", "人工客服")
        visitor.press(".kefu-compose textarea", "Enter")
        expect(visitor.locator(".kefu-status")).to_contain_text("排队", timeout=15000)

        agent_context, agent_csp = watched_context(browser, locale="zh-CN", viewport=DESKTOP)
        agent = agent_context.new_page()
        sign_in(agent, server.url, personas.lena)
        switch_language(agent, "zh-hans")
        agent.goto(f"{server.url}/desk/chat/")
        agent.locator("#queue button.primary").first.click(timeout=15000)
        pane = agent.locator(".pane:not([hidden])")
        expect(pane.locator(".log")).to_contain_text("人工客服", timeout=15000)
        box = pane.locator("textarea")
        box.focus()
        agent.keyboard.type("/evidence")
        option = pane.locator(".macro-picker [role=option][aria-selected=true]")
        expect(option).to_contain_text("索取凭证")
        agent.keyboard.press("Enter")
        expect(box).to_have_value(re.compile(r"^王先生您好，请提供工单 KF\d+（订单 PO-2026）"))
        expect(pane.locator(".macro-applied")).to_contain_text("待客户回复")
        agent.screenshot(path=str(ARTIFACTS / "chat-console-macro-zh.png"))
        agent.keyboard.press("Enter")  # the console sends on Enter
        expect(visitor.locator(".kefu-agent")).to_contain_text("请提供工单", timeout=15000)
        expect(pane.locator(".macro-applied")).to_be_hidden()
        browser.close()
    visitor_csp.assert_none()
    agent_csp.assert_none()
    ticket = ChatSession.objects.select_related("ticket").get().ticket
    assert ticket.status == Status.PENDING_CUSTOMER
    assert "awaiting-evidence" in ticket.tags
    assert ticket.messages.filter(is_internal=True, body="Asked 王先生 for a photo.").exists()
    assert Ticket.objects.count() == 1
