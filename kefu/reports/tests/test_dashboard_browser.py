"""Must show 2: a lead opens the dashboard in English and Chinese, changes the period and a
filter, sees the charts drawn, and downloads an XLSX that openpyxl opens with the same numbers
the page shows."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest
from django.utils import timezone

from kefu.escalation.actions import open_qa_review
from kefu.escalation.models import QaReview
from kefu.reports import rollup
from kefu.testing import ARTIFACTS, BROWSER_TEST, PASSWORD, RunningServer, make_ticket, server_env
from kefu.tickets import actions

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = BROWSER_TEST


def _history(personas) -> None:  # type: ignore[no-untyped-def]
    alice, lena = personas.viewer(personas.alice), personas.viewer(personas.lena)
    for number, channel in enumerate(["web", "web", "email", "chat"]):
        ticket = make_ticket(personas.anna, channel=channel, subject=f"Order {number}")
        changes = {"assignee": personas.alice.agent}
        actions.update_ticket(ticket=ticket, actor=lena, changes=changes)
        actions.add_message(ticket=ticket, actor=alice, body="On its way.")
        if number % 2:
            actions.change_status(ticket=ticket, actor=alice, status="resolved")
    open_qa_review(ticket, "unsatisfied rating", agent=personas.alice.agent,
                   source=QaReview.Source.RATING)  # fmt: skip
    while rollup.sweep(timezone.now()):
        pass


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_lead_filters_the_dashboard_and_downloads_the_same_numbers(personas, tmp_path):
    from openpyxl import load_workbook
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    _history(personas)
    with RunningServer(server_env(tmp_path)) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{server.url}/login/")
        page.fill("input[name=username]", personas.lena.email)
        page.fill("input[name=password]", PASSWORD)
        page.click("button.primary")
        page.wait_for_url(lambda url: "/login/" not in url)
        page.goto(f"{server.url}/desk/reports/")
        expect(page.locator("[data-chart=daily][data-rendered]")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "reports-dashboard-en.png"), full_page=True)

        first = (timezone.localdate() - timedelta(days=6)).isoformat()
        page.fill("input[name=from]", first)
        page.select_option("select[name=channel]", "web")
        page.click("#report-filters button.primary")
        page.wait_for_url(lambda url: "channel=web" in url)
        expect(page.locator("[data-chart=heatmap][data-rendered] svg")).to_be_visible()
        created = page.locator(".kpi").first.locator(".kpi-value").inner_text()
        assert created == "2"
        with page.expect_download() as download:
            page.click("#export-xlsx")
        path = tmp_path / "report.xlsx"
        download.value.save_as(path)
        summary = {
            row[0]: row[1:] for row in load_workbook(path)["Summary"].iter_rows(values_only=True)
        }
        assert summary["Tickets created"][0] == int(created)
        table = {
            r.locator("td").nth(0).inner_text(): r.locator("td").nth(1).inner_text()
            for r in page.locator("section:has(h2:text('All figures')) tr:has(td)").all()
        }
        assert table["Solved within 24 h"] == f"{summary['Solved within 24 h'][0] * 100:.1f}%"

        for name in ("qa/", "archive/"):
            page.goto(f"{server.url}/desk/{name}")
            page.screenshot(path=str(ARTIFACTS / f"{name[:-1]}-page-en.png"), full_page=True)
        page.goto(f"{server.url}/service-health/")
        page.screenshot(path=str(ARTIFACTS / "service-health-en.png"), full_page=True)
        page.goto(f"{server.url}/desk/reports/?from={first}&channel=web")
        context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": server.url}])
        page.reload()
        expect(page.locator("h1")).to_have_text("报表")
        expect(page.locator("[data-chart=sla][data-rendered]")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "reports-dashboard-zh.png"), full_page=True)
        for name in ("qa/", "archive/"):
            page.goto(f"{server.url}/desk/{name}")
            page.screenshot(path=str(ARTIFACTS / f"{name[:-1]}-page-zh.png"), full_page=True)
        page.goto(f"{server.url}/service-health/")
        page.screenshot(path=str(ARTIFACTS / "service-health-zh.png"), full_page=True)
        browser.close()
