"""In a real Chromium (issue #13): an agent who asked for browser notifications of customer
messages, with the desk queue open, sees the unread count rise and gets one desktop
notification when the customer writes on the agent's ticket from the portal — without a reload.
The preferences page has the column and the permission state, in zh and en."""

from __future__ import annotations

import pytest
from django.utils import translation

from kefu.accounts.models import User
from kefu.notifications.models import Preference
from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    RunningServer,
    assigned_ticket,
    launch_chromium,
    server_env,
    sign_in,
    watched_context,
)

LIVE_WAIT = 15_000  # ms

pytestmark = BROWSER_TEST

# Observe (not replace) the browser's Notification: every one constructed is recorded, and
# counted on <html data-notified>, which the test waits on as on any other attribute.
RECORD_NOTIFICATIONS = """
window.__kefuNotified = [];
if (window.Notification) {
  window.Notification = new Proxy(window.Notification, {
    construct(target, args) {
      window.__kefuNotified.push(args[0]);
      document.documentElement.dataset.notified = String(window.__kefuNotified.length);
      return new target(...args);
    }
  });
}
"""


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_customer_message_on_my_ticket_pops_a_browser_notification(personas, tmp_path, language):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    lang = "zh" if language == "zh-hans" else "en"
    User.objects.filter(pk=personas.alice.pk).update(language=language)
    ticket = assigned_ticket(personas, subject="Invoice for PO-2718 is missing")
    Preference.objects.create(user=personas.alice, kind="customer_reply", browser=True)
    with translation.override(language):
        column = translation.gettext("In the browser")
        granted = translation.gettext(
            "This browser shows Kefu notifications while a Kefu page is open."
        )
    watches = []
    with RunningServer(server_env(tmp_path)) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        agent_context, agent_watch = watched_context(
            browser, locale="zh-CN" if lang == "zh" else "en-US"
        )
        watches.append(agent_watch)
        agent_context.grant_permissions(["notifications"], origin=server.url)
        agent_context.add_init_script(RECORD_NOTIFICATIONS)
        agent = agent_context.new_page()
        sign_in(agent, server.url, personas.alice)
        agent.goto(f"{server.url}/notifications/preferences/")
        expect(agent.locator("table.preferences thead")).to_contain_text(column)
        expect(agent.locator("[data-browser-permission] .hint")).to_have_text(granted)
        expect(agent.locator("[data-browser-permission] button")).to_be_hidden()
        agent.screenshot(path=str(ARTIFACTS / f"notify-preferences-{lang}.png"), full_page=True)
        agent.goto(f"{server.url}/desk/")
        expect(agent.locator("body")).to_have_attribute("data-live-ready", "yes", timeout=LIVE_WAIT)
        expect(agent.locator("#notify-badge")).to_have_text("1")  # "assigned to you"

        customer_context, customer_watch = watched_context(browser, locale="en-US")
        watches.append(customer_watch)
        customer = customer_context.new_page()
        sign_in(customer, server.url, personas.anna)
        customer.goto(f"{server.url}/portal/t/{ticket.number}/")
        customer.fill("textarea[name=body]", "Any news about the invoice?")
        customer.click("form[enctype] button.primary")

        expect(agent.locator("#notify-badge")).to_have_text("2", timeout=LIVE_WAIT)
        # htmx shows the new badge first and fires htmx:load (notify.js) when it has settled
        expect(agent.locator("html")).to_have_attribute("data-notified", "1", timeout=LIVE_WAIT)
        notified = agent.evaluate("() => window.__kefuNotified")
        assert len(notified) == 1 and ticket.number in notified[0]
        agent.reload()  # what was shown is not shown again
        expect(agent.locator("body")).to_have_attribute("data-live-ready", "yes", timeout=LIVE_WAIT)
        assert agent.evaluate("() => window.__kefuNotified") == []
        browser.close()
    for watch in watches:
        watch.assert_none()
