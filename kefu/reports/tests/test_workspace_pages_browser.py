"""A QA reviewer opens the QA queue and a review, and an administrator the archive, an archived
ticket and the audit log, in English and in Chinese, with something on each page: screenshots
into test-artifacts/ to look at, and no English status or kind left on the Chinese pages."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest
from django.utils import timezone

from kefu.archive import actions as archive
from kefu.escalation.actions import open_qa_review
from kefu.escalation.models import QaReview
from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    RunningServer,
    assigned_ticket,
    make_ticket,
    server_env,
    sign_in,
)
from kefu.tickets import actions
from kefu.tickets.models import Ticket

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = BROWSER_TEST


def _history(personas) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """A review from an unsatisfied rating and one from a complaint; an archived ticket."""
    rated = assigned_ticket(personas, subject="Late delivery to Hamburg")
    actions.add_message(ticket=rated, actor=personas.viewer(personas.alice), body="Shipped.")
    review = open_qa_review(rated, "unsatisfied rating: slow answer", agent=personas.alice.agent,
                            source=QaReview.Source.RATING)  # fmt: skip
    complaint = assigned_ticket(personas, subject="Rude reply", is_complaint=True)
    open_qa_review(complaint, "complaint mail names A0001", agent=personas.alice.agent)
    old = make_ticket(personas.anna, subject="Pallets for Rotterdam (2024)")
    lena = personas.viewer(personas.lena)
    actions.add_message(ticket=old, actor=personas.viewer(personas.alice), body="Delivered.")
    actions.change_status(ticket=old, actor=lena, status="resolved")
    actions.change_status(ticket=old, actor=lena, status="closed")
    Ticket.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=800))
    archive.run_archiving(dry_run=True, actor=personas.ada)
    archive.run_archiving(dry_run=False, actor=personas.ada)
    return review.pk, old.number


def _shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_load_state()
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_qa_archive_and_audit_pages_in_both_languages(personas, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    review_id, archived = _history(personas)
    with RunningServer(server_env(tmp_path)) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for lang, locale in (("en", "en-US"), ("zh", "zh-CN")):
            cookie = [{"name": "django_language", "value": "en" if lang == "en" else "zh-hans",
                       "url": server.url}]  # fmt: skip
            qa = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
            qa.add_cookies(cookie)
            page = qa.new_page()
            sign_in(page, server.url, personas.quinn)
            qa.add_cookies(cookie)
            page.goto(f"{server.url}/desk/qa/")
            expect(page.locator("text=Late delivery to Hamburg")).to_be_visible()
            _shoot(page, f"qa-queue-{lang}.png")
            page.goto(f"{server.url}/desk/qa/{review_id}/")
            _shoot(page, f"qa-review-{lang}.png")
            qa.close()

            admin = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
            admin.add_cookies(cookie)
            page = admin.new_page()
            sign_in(page, server.url, personas.ada)
            admin.add_cookies(cookie)
            page.goto(f"{server.url}/desk/archive/?q=Rotterdam")
            expect(page.locator(f"text={archived}")).to_be_visible()
            _shoot(page, f"archive-search-{lang}.png")
            page.goto(f"{server.url}/archive/t/{archived}/")
            _shoot(page, f"archived-ticket-{lang}.png")
            if lang == "zh":
                text = page.locator("article").first.inner_text()
                assert "customer" not in text and "T" not in text.split("·")[0], text
            page.goto(f"{server.url}/admin/audit/auditentry/")
            expect(page.locator("a[href*='/desk/audit/export?format=xlsx']")).to_be_visible()
            _shoot(page, f"audit-log-{lang}.png")
            if lang == "zh":
                text = page.locator("#result_list").inner_text()
                assert "archive_run" not in text and "sign_in" not in text, text
            admin.close()
        browser.close()
