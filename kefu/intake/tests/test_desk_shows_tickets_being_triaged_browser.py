"""The desk in a real Chromium, in Chinese and English: a ticket the worker has yet to triage says
so in the queue and on its page, and no longer once the batch has run (issue #18)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import override_settings
from django.utils import timezone, translation

from kefu.accounts.models import User
from kefu.intake import derivation
from kefu.intake.base import InboundMessage
from kefu.intake.ingest import ingest
from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    DESKTOP,
    RunningServer,
    launch_chromium,
    server_env,
    sign_in,
    watched_context,
)

pytestmark = BROWSER_TEST


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_ticket_being_triaged_is_marked_until_the_batch_has_run(personas, tmp_path, language):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    User.objects.filter(pk=personas.ada.pk).update(language=language)
    derivation._behind["until"] = 0.0
    with override_settings(KEFU_DERIVE_NEW_TICKETS="batched"):
        ticket = ingest(InboundMessage("api", "a1", "12 of 200 screens arrived cracked, PO-66510.",
                                       subject="Damaged screens", user=personas.anna)).ticket  # fmt: skip
    assert ticket is not None and ticket.being_triaged
    with translation.override(language):
        label = translation.gettext("Being triaged")
    lang = "zh" if language == "zh-hans" else "en"
    with RunningServer(server_env(tmp_path)) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context, violations = watched_context(browser, viewport=DESKTOP)
        page = context.new_page()
        sign_in(page, server.url, personas.ada)
        page.goto(f"{server.url}/desk/?status=")
        row = page.locator("#queue tbody tr", has_text=ticket.number)
        expect(row.locator(".badge.triaging")).to_have_text(label)
        page.screenshot(path=ARTIFACTS / f"desk-queue-being-triaged-{lang}.png", full_page=True)
        page.goto(f"{server.url}/desk/t/{ticket.number}/")
        expect(page.locator("#ticket-head .badge.triaging")).to_have_text(label)
        page.screenshot(path=ARTIFACTS / f"desk-ticket-being-triaged-{lang}.png", full_page=True)
        with ThreadPoolExecutor(1) as pool:  # the ORM refuses Playwright's event-loop thread
            assert pool.submit(derivation.derive_waiting, timezone.now()).result() == 1
        page.reload()
        expect(page.locator("#ticket-head .badge.triaging")).to_have_count(0)
        browser.close()
    violations.assert_none()
