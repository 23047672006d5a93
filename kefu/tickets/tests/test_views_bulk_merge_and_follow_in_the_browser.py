"""The desk in a real Chromium, in Chinese and English: the queue's saved views with counts
(saving one from the current filters), the bulk bar over selected rows, the merge confirmation
with its warnings, and following a ticket until the customer's message raises a notification.
Screenshots go to test-artifacts/."""

from __future__ import annotations

import re

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
from kefu.tickets.models import SavedView, Status, Ticket

WAIT = 15_000  # ms: pages and the live socket answering, not the behaviour under test

pytestmark = BROWSER_TEST


def _texts(language: str) -> dict[str, str]:
    with translation.override(language):
        return {
            "selected": translation.gettext("Selected: {n}").format(n=2),
            "changed": translation.gettext("Changed %(n)s tickets.") % {"n": 2},
            "on_hold": str(Status.ON_HOLD.label),
            "requesters": re.split(
                "[:：]",
                translation.gettext(
                    "The requesters differ: %(a)s on %(source)s, %(b)s on %(target)s."
                ),
            )[0],
            "followed": translation.gettext("Following"),
        }


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_views_bulk_bar_merge_confirmation_and_a_follow_notification(
    personas, tmp_path, language, monkeypatch
):
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM beside Playwright's loop
    ARTIFACTS.mkdir(exist_ok=True)
    User.objects.filter(pk=personas.lena.pk).update(language=language)
    texts = _texts(language)
    lang = "zh" if language == "zh-hans" else "en"
    lena = personas.viewer(personas.lena)
    urgent = make_ticket(personas.anna, subject="Container stuck in customs", order_id="PO-1")
    actions.update_ticket(ticket=urgent, actor=lena,
                          changes={"priority": "urgent", "assignee": personas.lena.agent})  # fmt: skip
    again = make_ticket(personas.sam, subject="Where is PO-2?", order_id="PO-2")
    make_ticket(personas.anna, subject="Invoice for March")
    with RunningServer(server_env(tmp_path)) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context, violations = watched_context(
            browser, locale="zh-CN" if lang == "zh" else "en-US",
            viewport={"width": 1366, "height": 900},
        )  # fmt: skip
        page = context.new_page()
        sign_in(page, server.url, personas.lena)

        # The sidebar: the shipped views with counts; save the queue's current filter as a view.
        page.goto(f"{server.url}/desk/")
        expect(page.locator("[data-saved-view=my-open-urgent] .count")).to_have_text("1")
        page.select_option("form.filters select[name=priority]", "urgent")
        expect(page.locator("#queue tbody tr")).to_have_count(1, timeout=WAIT)
        page.locator("details.save-view summary").click()
        page.fill("#save-view-form input[name=name]", "VIP 紧急" if lang == "zh" else "VIP urgent")
        page.click("#save-view-form button.primary")
        view = SavedView.objects.get(owner=personas.lena.agent)
        assert view.filters == {"priority": "urgent"}
        expect(page.locator(f"[data-saved-view='{view.pk}'] .count")).to_have_text("1")
        expect(page.locator(f"[data-saved-view='{view.pk}']")).to_have_attribute(
            "aria-current", "page"
        )
        page.screenshot(path=str(ARTIFACTS / f"queue-saved-views-{lang}.png"), full_page=True)

        # The bulk bar: select two rows, set their status.
        page.goto(f"{server.url}/desk/")
        bar = page.locator("[data-bulk-bar]")
        expect(bar).to_be_hidden()
        page.locator(f"#queue tr:has(a:text('{urgent.number}')) [data-bulk-row]").check()
        page.locator(f"#queue tr:has(a:text('{again.number}')) [data-bulk-row]").check()
        expect(bar).to_be_visible()
        expect(bar.locator("[data-bulk-count]")).to_have_text(texts["selected"])
        bar.locator("select[name=bulk_status]").select_option(Status.ON_HOLD)
        page.screenshot(path=str(ARTIFACTS / f"queue-bulk-bar-{lang}.png"), full_page=True)
        bar.locator("button.primary").click()
        expect(page.locator(".flash")).to_contain_text(texts["changed"])
        expect(page.locator(f"#queue tr:has(a:text('{again.number}'))")).to_contain_text(
            texts["on_hold"]
        )
        page.screenshot(path=str(ARTIFACTS / f"queue-bulk-done-{lang}.png"), full_page=True)

        # Merge: Sam's ticket into Anna's, compared side by side, confirmed explicitly.
        page.goto(f"{server.url}/desk/t/{again.number}/")
        page.fill("input[name=into]", urgent.number)
        page.locator("form[action$='/merge/'] button").click()
        expect(page.locator(".merge-warnings")).to_contain_text(texts["requesters"])
        expect(page.locator("[data-merge-side]")).to_have_count(2)
        page.screenshot(path=str(ARTIFACTS / f"merge-confirmation-{lang}.png"), full_page=True)
        page.check("input[name=confirm_differences]")
        page.locator(".merge-confirm button.primary").click()
        page.wait_for_url(f"**/desk/t/{urgent.number}/")
        assert Ticket.objects.get(pk=again.pk).merged_into_id == urgent.pk

        # Follow (the F key): the customer's next message raises a notification.
        actions.update_ticket(ticket=urgent, actor=lena, changes={"assignee": None})
        page.goto(f"{server.url}/desk/t/{urgent.number}/")
        page.keyboard.press("f")
        expect(page.locator("[data-key-follow]")).to_contain_text(texts["followed"])
        actions.add_message(ticket=Ticket.objects.get(pk=urgent.pk),
                            actor=personas.viewer(personas.anna), body="Any news on PO-1?")  # fmt: skip
        page.goto(f"{server.url}/notifications/")
        expect(page.locator("#notify-badge")).to_have_text("1")
        expect(page.locator("main")).to_contain_text(urgent.number)
        page.screenshot(path=str(ARTIFACTS / f"follow-notification-{lang}.png"), full_page=True)
        browser.close()
    violations.assert_none()
