"""Must show 1, in Chromium against ``kefu serve``: an agent resolves a ticket in the desk; the
resolution mail's rating link, opened without a session on a phone in Chinese, records 不满意
with a comment, which opens a QA review and tells the team lead; the portal's rating form in
English does the same; the desk shows the ratings (zh and en); the API refuses to rate an open
ticket with 409 and a Chinese message for ``Accept-Language: zh-CN``."""

from __future__ import annotations

import json
import re
import shutil
import urllib.error
import urllib.request

import pytest

from kefu.accounts.actions import create_api_token
from kefu.delivery.models import Delivery
from kefu.escalation.models import QaReview
from kefu.notifications.models import Notification
from kefu.ratings.models import Rating
from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    DESKTOP,
    PASSWORD,
    PHONE,
    RunningServer,
    assigned_ticket,
    free_port,
    launch_chromium,
    make_ticket,
    server_env,
    watched_context,
)
from kefu.tickets import actions

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
RATE_LINK = re.compile(r"https?://[^\s/]+(/t/[^/\s]+/\?score=unsatisfied)")

pytestmark = BROWSER_TEST
WATCHES: list = []


def _page(browser, locale: str, viewport: dict[str, int]):
    context, watch = watched_context(browser, locale=locale, viewport=viewport)
    WATCHES.append(watch)
    return context.new_page()


def _sign_in(page, url: str, email: str) -> None:
    page.goto(f"{url}/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(lambda at: "/login/" not in at)


def _shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"rating-{name}.png"), full_page=True)


def _api_rating(url: str, token: str, number: str, language: str) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{url}/api/v1/tickets/{number}/rating",
        data=json.dumps({"score": "unsatisfied", "comment": "太慢"}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                 "Accept-Language": language},
        method="POST",
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rating_by_mail_link_portal_and_api(personas, tmp_path, monkeypatch):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    personas.anna.language = "zh-hans"
    personas.anna.save()
    by_mail = assigned_ticket(personas, subject="订单 PO-2231 一直没有发货", language="zh")
    in_portal = make_ticket(personas.sam, subject="Refund for PO-88 still missing")
    actions.update_ticket(ticket=in_portal, actor=personas.viewer(personas.lena),
                          changes={"assignee": personas.alice.agent})  # fmt: skip
    actions.change_status(ticket=in_portal, actor=personas.viewer(personas.alice),
                          status="resolved")  # fmt: skip
    still_open = make_ticket(personas.anna, subject="仍在处理的工单")
    token = create_api_token(user=personas.anna, name="browser test")
    port = free_port()
    env = server_env(tmp_path, KEFU_SITE_URL=f"http://127.0.0.1:{port}")
    # This test reads the server's writes between steps, inside Playwright's event loop (the
    # reads are plain synchronous queries of this thread; the server is another process).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with RunningServer(env, port=port) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)

        # Alice resolves Anna's ticket in the desk.
        desk = _page(browser, "en-US", DESKTOP)
        _sign_in(desk, server.url, personas.alice.email)
        desk.goto(f"{server.url}/desk/t/{by_mail.number}/")
        desk.select_option("select[name=status]", "resolved")
        desk.get_by_role("button", name="Save changes").click()
        expect(desk.locator("#ticket-head")).to_contain_text("Resolved")

        # The resolution mail's rating link, opened on a phone without a session.
        mail = Delivery.objects.get(ticket=by_mail, text__contains="score=unsatisfied")
        assert mail.to == [personas.anna.email] and "不满意" in mail.text
        link = RATE_LINK.search(mail.text).group(1)
        stranger = _page(browser, "zh-CN", PHONE)
        stranger.goto(server.url + link)
        expect(stranger.locator("input[value=unsatisfied]")).to_be_checked()
        expect(stranger.locator(".rate-page")).to_contain_text("我们的服务如何？")
        stranger.fill("textarea[name=comment]", "等了一周才回复，问了三次。")
        _shot(stranger, "link-zh-390")
        stranger.get_by_role("button", name="提交评价").click()
        expect(stranger.locator(".done")).to_contain_text("主管将复核")
        _shot(stranger, "link-done-zh-390")
        stranger.goto(server.url + link)  # one use
        expect(stranger.locator(".rate-page")).to_contain_text("已于")
        english = _page(browser, "en-US", PHONE)
        english.goto(server.url + link)
        expect(english.locator(".rate-page")).to_contain_text("already rated")
        _shot(english, "link-used-en-390")

        review = QaReview.objects.get(ticket=by_mail)
        assert (review.source, review.reason, review.agent) == (
            "rating", "等了一周才回复，问了三次。", personas.alice.agent)  # fmt: skip
        lead_told = Notification.objects.get(ticket=by_mail, kind="unsatisfied")
        assert lead_told.recipient == personas.lena
        assert Delivery.objects.filter(ticket=by_mail, to=[personas.lena.email]).exists()
        assert Rating.objects.get(ticket=by_mail).rated_by == personas.anna

        # The portal's rating form, in English, on a phone.
        portal = _page(browser, "en-US", PHONE)
        _sign_in(portal, server.url, personas.sam.email)
        portal.goto(f"{server.url}/portal/t/{in_portal.number}/")
        rating = portal.locator("#rating")
        expect(rating).to_contain_text("How did we do?")
        expect(portal.locator(".window")).to_contain_text("closes by itself at")
        rating.locator("label.score-unsatisfied").click()
        rating.locator("textarea[name=comment]").fill("The refund is still not here.")
        _shot(portal, "portal-en-390")
        rating.get_by_role("button", name="Send my rating").click()
        expect(portal.locator(".flash")).to_contain_text("a supervisor will review")
        expect(portal.locator("#rating")).to_contain_text("Unsatisfied")
        expect(portal.locator("#rating")).to_contain_text("Change your rating")
        _shot(portal, "portal-rated-en-390")
        review = QaReview.objects.get(ticket=in_portal)
        assert review.reason == "The refund is still not here."
        assert Notification.objects.filter(ticket=in_portal, kind="unsatisfied",
                                           recipient=personas.lena).exists()  # fmt: skip

        # Anna sees the rating she gave through the link on her ticket, in Chinese, on a phone.
        own = _page(browser, "zh-CN", PHONE)
        _sign_in(own, server.url, personas.anna.email)
        own.goto(f"{server.url}/portal/t/{by_mail.number}/")
        expect(own.locator("#rating")).to_contain_text("不满意")
        expect(own.locator("#rating")).to_contain_text("修改评价")
        expect(own.locator(".window")).to_contain_text("自动关闭")
        _shot(own, "portal-zh-390")
        own.goto(f"{server.url}/portal/?show=done")  # her history, rated tickets marked
        row = own.locator("tr", has_text=by_mail.number)
        expect(row.locator(".badge.score-unsatisfied")).to_have_text("不满意")
        _shot(own, "portal-list-zh-390")

        # The team lead sees the ratings on the ticket, in English and in Chinese.
        lead = _page(browser, "en-US", DESKTOP)
        _sign_in(lead, server.url, personas.lena.email)
        lead.goto(f"{server.url}/desk/t/{by_mail.number}/")
        expect(lead.locator(".desk-ratings")).to_contain_text("Unsatisfied")
        expect(lead.locator(".desk-ratings")).to_contain_text("等了一周才回复")
        # Her history, on the customer panel.
        expect(lead.locator("#customer-panel")).to_contain_text(still_open.number)
        expect(lead.locator(".desk-ratings")).to_contain_text("closes by itself at")
        _shot(lead, "desk-en")
        with lead.expect_navigation():  # the top bar's language menu
            lead.locator("form.lang").evaluate(
                "form => { form.language.value = 'zh-hans'; form.submit(); }"
            )
        lead.goto(f"{server.url}/desk/t/{by_mail.number}/")
        expect(lead.locator(".desk-ratings")).to_contain_text("不满意")
        expect(lead.locator("#customer-panel")).to_contain_text("评价记录")
        assert "Unsatisfied" not in lead.locator(".desk-ratings").inner_text()
        _shot(lead, "desk-zh")
        browser.close()

        # The API refuses to rate an open ticket, saying why in the caller's language.
        status, body = _api_rating(server.url, token, still_open.number, "zh-CN")
        assert status == 409 and body["code"] == "not_resolved"
        assert f"工单 {still_open.number} 尚未解决" in body["detail"][0]["msg"]
        status, body = _api_rating(server.url, token, still_open.number, "en")
        assert status == 409 and "is not resolved yet" in body["detail"][0]["msg"]
    for watch in WATCHES:
        watch.assert_none()
    assert not Rating.objects.filter(ticket=still_open).exists()
