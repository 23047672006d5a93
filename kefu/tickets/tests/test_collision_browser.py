"""Collision detection in a real Chromium, two agents in two browser contexts (issue #13, must
show 1): agent B sees agent A viewing and then typing on the ticket B has open; A's status
change reaches B's queue within a second (and taking it, the unassigned count in B's top bar); B's reply, sent from the page opened before that
change, is refused with a message and the text B typed is still in the reply box."""

from __future__ import annotations

import pytest
from django.utils import translation

from kefu.accounts.models import User
from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    PASSWORD,
    RunningServer,
    launch_chromium,
    make_ticket,
    server_env,
    watched_context,
)
from kefu.tickets.concurrency import STALE_MESSAGE
from kefu.tickets.models import Status

WITHIN_A_SECOND = 1000  # ms
LIVE_WAIT = 15_000  # ms: the socket connecting, not the behaviour under test

pytestmark = BROWSER_TEST


def _signed_in(browser, server, user, watches, locale):
    context, violations = watched_context(
        browser, locale=locale, viewport={"width": 1280, "height": 900}
    )
    watches.append(violations)
    page = context.new_page()
    page.goto(f"{server.url}/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(lambda url: "/login/" not in url)
    return page


def _live(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator("body")).to_have_attribute("data-live-ready", "yes", timeout=LIVE_WAIT)


def _texts(language: str) -> dict[str, str]:
    with translation.override(language):
        return {
            "viewing": translation.gettext("viewing"),
            "typing": translation.gettext("typing a reply…"),
            "pending": str(Status.PENDING_CUSTOMER.label),
            "stale": str(STALE_MESSAGE),
        }


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_agents_on_one_ticket_see_each_other_and_a_stale_reply_is_refused(
    personas, tmp_path, language
):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    User.objects.filter(pk__in=[personas.alice.pk, personas.lena.pk]).update(language=language)
    texts = _texts(language)
    locale = "zh-CN" if language == "zh-hans" else "en-US"
    lang = "zh" if language == "zh-hans" else "en"
    number = make_ticket(personas.anna, subject="Invoice for PO-2718 is missing").number
    typed = "PO-2718: the invoice is attached, sorry for the delay."
    watches: list = []
    with RunningServer(server_env(tmp_path)) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        # Agent B (Lena): the queue in one tab, the ticket in another.
        queue = _signed_in(browser, server, personas.lena, watches, locale)
        queue.goto(f"{server.url}/desk/")
        row = queue.locator(f"#queue tr:has(a:text('{number}'))")
        expect(row).to_be_visible()
        b_ticket = queue.context.new_page()
        b_ticket.goto(f"{server.url}/desk/t/{number}/")
        _live(queue)
        _live(b_ticket)

        # Agent A (Alice) opens the same ticket: B sees her viewing, then typing.
        a_ticket = _signed_in(browser, server, personas.alice, watches, locale)
        a_ticket.goto(f"{server.url}/desk/t/{number}/")
        _live(a_ticket)
        alice = b_ticket.locator("#presence [data-presence-agent='A0001']")
        expect(alice).to_have_attribute("data-presence-state", "viewing", timeout=LIVE_WAIT)
        expect(alice).to_contain_text(f"Alice ({texts['viewing']})")
        expect(a_ticket.locator("#presence [data-presence-agent='L0001']")).to_be_visible()
        a_ticket.locator("#reply-form textarea[name=body]").press_sequentially("Checking the inv")
        expect(alice).to_have_attribute("data-presence-state", "typing", timeout=LIVE_WAIT)
        expect(alice).to_contain_text(texts["typing"])
        b_ticket.screenshot(path=str(ARTIFACTS / f"collision-presence-{lang}.png"), full_page=True)

        # A takes the ticket: the unassigned count in B's top bar drops within a second.
        unassigned = queue.locator("#queue-views [data-view=unassigned] .count")
        expect(unassigned).to_have_text("1")
        a_ticket.click("button[name=take]")
        expect(unassigned).to_have_text("0", timeout=WITHIN_A_SECOND)
        _live(a_ticket)

        # B starts a reply; meanwhile A changes the status: B's queue shows it within a second.
        b_ticket.locator("#reply-form textarea[name=body]").fill(typed)
        a_ticket.select_option("#update-form select[name=status]", "pending_customer")
        a_ticket.click("#update-form button.primary")
        expect(row).to_contain_text(texts["pending"], timeout=WITHIN_A_SECOND)
        queue.screenshot(path=str(ARTIFACTS / f"collision-queue-{lang}.png"), full_page=True)

        # B sends from the page opened before A's change: refused, nothing typed is lost.
        b_ticket.click("#reply-form button.primary")
        expect(b_ticket.locator(".stale[role=alert]")).to_have_text(texts["stale"])
        expect(b_ticket.locator("#reply-form textarea[name=body]")).to_have_value(typed)
        expect(b_ticket.locator("#ticket-head .badge").first).to_have_text(texts["pending"])
        b_ticket.screenshot(
            path=str(ARTIFACTS / f"collision-stale-reply-{lang}.png"), full_page=True
        )

        # Having seen what changed, B sends again and it goes through.
        b_ticket.click("#reply-form button.primary")
        expect(b_ticket.locator("#timeline")).to_contain_text(typed)
        expect(b_ticket.locator(".stale")).to_have_count(0)
        browser.close()
    for watch in watches:
        watch.assert_none()
