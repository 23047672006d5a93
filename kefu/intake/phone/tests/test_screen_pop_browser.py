"""Screen pop, in Chromium (issue #15): when a hotline call rings at an agent, their open desk
page shows — live, without a reload — the caller, their organisation, verification state, menu
choices and open tickets. The first call (Chinese desk) comes from Otto's registered mobile; the
second (English desk) from an unknown number, which the agent then confirms from the pop."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kefu.accounts.models import Agent
from kefu.intake.phone.defaults import install_hotline
from kefu.intake.phone.models import Call, Verification
from kefu.intake.phone.tests.fake_platform import FakeTelephony
from kefu.sla.models import BusinessCalendar
from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    RunningServer,
    free_port,
    launch_chromium,
    make_ticket,
    server_env,
    sign_in,
    switch_language,
    watched_context,
)

SECRET = "pop-secret"
NUMBER = "+864008001234"
OTTO_MOBILE = "+8613800138000"
STRANGER = "+8613700000000"
A_FEW_SECONDS = 5000  # ms

pytestmark = BROWSER_TEST


def _live(page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    expect(page.locator("body")).to_have_attribute("data-live-ready", "yes", timeout=15_000)


def _share_encryption_key(data_dir: Path, env: dict[str, str]) -> None:
    from django.conf import settings

    from kefu.crypto import KEY_FILE_NAME, key_file

    if getattr(settings, "KEFU_ENCRYPTION_KEY", ""):
        env["KEFU_ENCRYPTION_KEY"] = settings.KEFU_ENCRYPTION_KEY
    elif key_file().exists():
        shutil.copy(key_file(), data_dir / KEY_FILE_NAME)


def _open_around_the_clock(calendar: BusinessCalendar) -> None:
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
        setattr(calendar, day, "00:00-24:00")
    calendar.off_day_hours = "00:00-24:00"
    calendar.save()


def _order_call(server_url: str, caller: str, sid: str) -> FakeTelephony:
    call = FakeTelephony(server_url, "merchant", SECRET, caller=caller, number=NUMBER,
                         call_sid=sid)  # fmt: skip
    call.incoming()
    call.press("2")  # order questions: the orders skill, Alice
    call.press("2026112300123")
    return call


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ringing_call_pops_up_on_the_agents_desk(personas, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    personas.otto.phone = OTTO_MOBILE
    personas.otto.save(update_fields=["phone"])
    Agent.objects.update(status=Agent.Status.OFFLINE)
    Agent.objects.filter(user=personas.alice).update(skills=["orders"], status=Agent.Status.ONLINE)
    line = install_hotline(code="merchant", kind="merchant", name="商家热线", number=NUMBER,
                           secret=SECRET)  # fmt: skip
    _open_around_the_clock(line.calendar)  # the test must not depend on the hour it runs at
    earlier = make_ticket(personas.otto, subject="PO-77 还没到")
    port = free_port()
    env = server_env(tmp_path, KEFU_SITE_URL=f"http://127.0.0.1:{port}")
    _share_encryption_key(tmp_path, env)  # the server reads the line's encrypted secret
    with RunningServer(env, port=port) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context, watch = watched_context(browser, locale="zh-CN",
                                         viewport={"width": 1280, "height": 800})  # fmt: skip
        page = context.new_page()
        sign_in(page, server.url, personas.alice)
        switch_language(page, "zh-hans")
        page.goto(f"{server.url}/desk/")
        _live(page)
        pop = page.locator("#screen-pop")
        expect(pop).to_be_hidden()

        first = _order_call(server.url, OTTO_MOBILE, "CA" + "1" * 32)
        expect(pop).to_be_visible(timeout=A_FEW_SECONDS)
        expect(pop).to_contain_text("来电振铃")
        expect(pop).to_contain_text(OTTO_MOBILE)
        expect(pop).to_contain_text("Orbit Merchants (orbit)")
        expect(pop).to_contain_text("已验证：注册电话号码")
        expect(pop).to_contain_text("2 订单问题")
        expect(pop.locator(".pop-tickets")).to_contain_text(earlier.number)
        page.screenshot(path=str(ARTIFACTS / "desk-screen-pop-zh-hans.png"))
        first.agent_leg("in-progress")  # Alice answers
        expect(pop).to_contain_text("通话中", timeout=A_FEW_SECONDS)
        first.hang_up(duration=60)
        expect(pop).to_be_hidden(timeout=A_FEW_SECONDS)

        switch_language(page, "en")
        page.goto(f"{server.url}/desk/")
        _live(page)
        _order_call(server.url, STRANGER, "CA" + "2" * 32)
        expect(pop).to_be_visible(timeout=A_FEW_SECONDS)
        expect(pop).to_contain_text("Incoming call")
        expect(pop).to_contain_text(STRANGER)
        expect(pop).to_contain_text("Unverified caller")
        expect(pop).to_contain_text("2 订单问题")
        page.screenshot(path=str(ARTIFACTS / "desk-screen-pop-en.png"))
        pop.locator("select[name=organization]").select_option("orbit")
        with page.expect_navigation():
            pop.locator("button").click()
        panel = page.locator("section.calls")
        expect(panel).to_contain_text("Verified: confirmed by an agent")
        expect(panel).to_contain_text(personas.alice.agent.code)
        page.screenshot(path=str(ARTIFACTS / "desk-call-confirmed-en.png"), full_page=True)
        browser.close()
    watch.assert_none()
    second = Call.objects.get(call_sid="CA" + "2" * 32)
    assert second.verification == Verification.AGENT
    assert second.verified_by == personas.alice.agent and second.organization == personas.orbit
