"""Must show 2 and the pages of must show 3, in Chromium against ``kefu serve`` (strict CSP): a
visitor without an account writes through ``/contact/`` on a phone; the ticket is in no queue
until the link mailed to them is followed; an agent's reply from the desk is mailed, and the
visitor's mail reply threads into the same ticket; 20 rapid submissions from one client are
refused after the limit with a clear message. ``/status/`` answers the same sentence for a
wrong pair; the mailed link of a right pair shows the ticket. Screenshots of both pages in zh and
en at 390 px and desktop go to ``test-artifacts/``."""

from __future__ import annotations

import re
import shutil

import pytest

from kefu.delivery.models import Delivery
from kefu.delivery.tests.test_email_smtp import customer_mail
from kefu.intake.email.inbound import deliver
from kefu.intake.models import Outcome
from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    DESKTOP,
    PHONE,
    RunningServer,
    free_port,
    launch_chromium,
    publish_mail_domain,
    server_env,
    sign_in,
    watched_context,
)
from kefu.tickets.models import Ticket
from kefu.visitors.models import ContactRequest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
VISITOR = "li.wei@visitor.test"
VERIFY_LINK = re.compile(r"https?://[^\s/]+(/contact/v/\S+/)")
STATUS_LINK = re.compile(r"https?://[^\s/]+(/status/v/\S+/)")

pytestmark = BROWSER_TEST
WATCHES: list = []


def _page(browser, locale: str, viewport: dict[str, int]):
    context, watch = watched_context(browser, locale=locale, viewport=viewport)
    WATCHES.append(watch)
    return context.new_page()


def _shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"visitors-{name}.png"), full_page=True)


def _fill_contact(page, email: str, description: str) -> None:
    page.fill("input[name=name]", "李伟")
    page.fill("input[name=company]", "宁波远航贸易")
    page.fill("input[name=email]", email)
    page.fill("input[name=phone]", "+86 574 5555 0101")
    page.select_option("select[name=category]", "order_trade")
    page.fill("input[name=order_id]", "PO-9001")
    page.fill("textarea[name=description]", description)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_visitor_writes_verifies_and_continues_by_mail(personas, tmp_path, monkeypatch, mail_dns):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    publish_mail_domain(mail_dns, "visitor.test")
    port = free_port()
    env = server_env(tmp_path, KEFU_SITE_URL=f"http://127.0.0.1:{port}")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with RunningServer(env, port=port) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)

        # Reached from the sign-in page, on a phone, in Chinese.
        visitor = _page(browser, "zh-CN", PHONE)
        visitor.goto(f"{server.url}/login/")
        visitor.get_by_role("link", name="没有账号？给我们留言").click()
        expect(visitor.locator("h1")).to_have_text("联系客服")
        _fill_contact(visitor, VISITOR, "集装箱 PO-9001 在宁波港滞留三天了，请帮忙查询。")
        _shot(visitor, "contact-zh-390")
        visitor.get_by_role("button", name="发送").click()
        expect(visitor.locator(".done")).to_contain_text(VISITOR)
        _shot(visitor, "contact-sent-zh-390")

        # Not a ticket yet: nothing in the agents' queue.
        assert not Ticket.objects.filter(requester__email=VISITOR).exists()
        desk = _page(browser, "en-US", DESKTOP)
        sign_in(desk, server.url, personas.ada)
        desk.goto(f"{server.url}/desk/")
        expect(desk.locator("main")).not_to_contain_text("宁波港")

        # The mailed link, then the button: now a ticket, in the queue.
        mail = Delivery.objects.get(to=[VISITOR])
        visitor.goto(server.url + VERIFY_LINK.search(mail.text).group(1))
        expect(visitor.locator("h1")).to_have_text("确认您的邮箱地址")
        visitor.get_by_role("button", name="提交我的留言").click()
        ticket = Ticket.objects.get(requester__email=VISITOR)
        expect(visitor.locator(".done")).to_contain_text(ticket.number)
        _shot(visitor, "contact-verified-zh-390")
        desk.goto(f"{server.url}/desk/")
        expect(desk.locator("main")).to_contain_text(ticket.number)

        # An agent replies in the desk; the reply is mailed to the visitor.
        desk.goto(f"{server.url}/desk/t/{ticket.number}/")
        desk.fill("#reply-form textarea[name=body]", "The container clears customs tomorrow.")
        desk.locator("#reply-form button.primary").click()
        expect(desk.locator("main")).to_contain_text("clears customs tomorrow")
        reply = Delivery.objects.get(ticket=ticket, kind=Delivery.Kind.REPLY)
        assert reply.to == [VISITOR] and ticket.number in reply.subject

        # The visitor answers the mail: it threads into the same ticket.
        answer = customer_mail(VISITOR, f"Re: {reply.subject}", "谢谢，收到。", "r1@visitor.test",
                               In_Reply_To=f"<{reply.key}>")  # fmt: skip
        result = deliver(answer)
        assert (result.outcome, result.ticket) == (Outcome.MESSAGE, ticket)
        assert Ticket.objects.filter(requester__email=VISITOR).count() == 1
        desk.reload()
        expect(desk.locator("main")).to_contain_text("谢谢，收到。")

        # The English form, on a desktop and a phone.
        for viewport, size in ((DESKTOP, "desktop"), (PHONE, "390")):
            english = _page(browser, "en-US", viewport)
            english.goto(f"{server.url}/help/")
            english.get_by_role("link", name="Contact support").click()
            expect(english.locator("h1")).to_have_text("Contact support")
            _shot(english, f"contact-en-{size}")
        chinese = _page(browser, "zh-CN", DESKTOP)
        chinese.goto(f"{server.url}/contact/")
        _shot(chinese, "contact-zh-desktop")

        # 20 rapid submissions from one client: refused after the limit, saying why.
        flood = _page(browser, "zh-CN", PHONE)
        answers = []
        for n in range(20):
            flood.goto(f"{server.url}/contact/")
            _fill_contact(flood, f"buyer{n}@visitor.test", f"第 {n} 条留言")
            flood.get_by_role("button", name="发送").click()
            flood.wait_for_load_state()
            answers.append(flood.locator(".done, .error").first.inner_text())
        accepted = [text for text in answers if "我们已向" in text]
        refused = [text for text in answers if "请求过于频繁" in text]
        assert len(accepted) == 9 and len(refused) == 11  # the limit is 10 per client an hour
        _shot(flood, "contact-refused-zh-390")
        assert ContactRequest.objects.count() == 10
        browser.close()
    for watch in WATCHES:
        watch.assert_none()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_status_lookup_pages(personas, tmp_path, monkeypatch):
    from playwright.sync_api import expect, sync_playwright

    from kefu.testing import make_ticket

    ARTIFACTS.mkdir(exist_ok=True)
    ticket = make_ticket(personas.anna, subject="订单 PO-2231 一直没有发货")
    Delivery.objects.all().delete()
    port = free_port()
    env = server_env(tmp_path, KEFU_SITE_URL=f"http://127.0.0.1:{port}")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with RunningServer(env, port=port) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for locale, language in (("zh-CN", "zh"), ("en-US", "en")):
            for viewport, size in ((PHONE, "390"), (DESKTOP, "desktop")):
                page = _page(browser, locale, viewport)
                page.goto(f"{server.url}/status/")
                _shot(page, f"status-{language}-{size}")
        page = _page(browser, "zh-CN", PHONE)
        texts = []
        for email in ("wrong@acme.test", personas.anna.email):
            page.goto(f"{server.url}/status/")
            page.fill("input[name=number]", ticket.number)
            page.fill("input[name=email]", email)
            page.get_by_role("button", name="把状态发送给我").click()
            texts.append(page.locator(".done").inner_text())
        assert texts[0] == texts[1] and "请查收邮件" in texts[0]
        _shot(page, "status-answered-zh-390")
        [mail] = Delivery.objects.all()
        assert mail.to == [personas.anna.email]
        page.goto(server.url + STATUS_LINK.search(mail.text).group(1))
        expect(page.locator("h1")).to_contain_text(ticket.number)
        expect(page.locator(".status-view")).to_contain_text("订单 PO-2231 一直没有发货")
        _shot(page, "status-view-zh-390")
        browser.close()
    for watch in WATCHES:
        watch.assert_none()
