"""The sign-in journeys in a real Chromium against `kefu serve`: password reset through the
outbox, a lockout, SSO against the fake provider, and two-factor enrolment and sign-in with a
code and with a recovery code (which then fails). Screenshots of every page, in zh and en, go to
test-artifacts/."""

import re
import shutil
import time
from concurrent.futures import ThreadPoolExecutor

import pyotp
import pytest

from kefu.accounts.tests.fake_oidc import CLIENT_ID, CLIENT_SECRET, FakeProvider
from kefu.testing import (
    ARTIFACTS,
    BROWSER_TEST,
    PASSWORD,
    RunningServer,
    free_port,
    server_env,
    watched_context,
)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NEW_PASSWORD = "harbour-lantern-47"
# The server locks an account after this many wrong passwords (KEFU_LOGIN_FAILURE_LIMIT): the
# pages are what this test is about; test_lockout.py counts the production limit of 50 itself.
LOCKOUT_AFTER = 5

pytestmark = BROWSER_TEST


def _orm(function):  # type: ignore[no-untyped-def]
    """Run ORM code off the thread where Playwright's event loop runs (Django refuses there)."""
    from django.db import connection

    def run():  # type: ignore[no-untyped-def]
        try:
            return function()
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


def _reset_link() -> str:
    from kefu.delivery.models import Delivery

    mail = _orm(lambda: Delivery.objects.filter(subject__icontains="password").latest("id"))
    return re.search(r"https?://\S+/password/reset/\S+/", mail.text).group(0)


class Shots:
    """Screenshots of the page, in the languages asked for (GET pages are reloaded in each)."""

    def __init__(self, page, url: str) -> None:
        self.page, self.url = page, url

    def lang(self, code: str) -> None:
        self.page.context.add_cookies([{"name": "django_language", "value": code, "url": self.url}])

    def take(self, name: str, *languages: str) -> None:
        for code in languages:
            self.lang(code)
            self.page.reload()
            self.page.screenshot(path=str(ARTIFACTS / f"{name}-{code[:2]}.png"), full_page=True)

    def now(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _browser(playwright):  # type: ignore[no-untyped-def]
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )


def _sign_in(page, url: str, email: str, password: str) -> None:
    page.goto(f"{url}/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("button.primary")


def _sign_out(page) -> None:
    page.click("header form[action='/logout/'] button")


@pytest.fixture
def served(tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with FakeProvider() as provider:
        env = server_env(
            tmp_path,
            KEFU_SITE_URL=url,
            KEFU_OIDC_ISSUER=provider.issuer,
            KEFU_OIDC_CLIENT_ID=CLIENT_ID,
            KEFU_OIDC_CLIENT_SECRET=CLIENT_SECRET,
            KEFU_LOGIN_FAILURE_LIMIT=str(LOCKOUT_AFTER),
        )
        with RunningServer(env, port=port) as server:
            ARTIFACTS.mkdir(exist_ok=True)
            yield server, provider


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reset_lockout_and_sso_in_chromium(personas, served):
    from playwright.sync_api import expect, sync_playwright

    server, provider = served
    url = server.url
    with sync_playwright() as playwright:
        browser = _browser(playwright)
        context, violations = watched_context(browser, origin=url, locale="zh-CN")
        page = context.new_page()
        shots = Shots(page, url)
        page.goto(f"{url}/login/")
        shots.take("login", "en", "zh-hans")
        page.set_viewport_size({"width": 390, "height": 844})
        shots.take("login-390", "en", "zh-hans")
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{url}/admin/login/")
        shots.take("admin-login", "en", "zh-hans")

        # Forgot password → the mail (from the outbox row) → a new password → sign in.
        page.goto(f"{url}/login/")
        page.click("text=忘记密码？")
        shots.take("reset-request", "en", "zh-hans")
        page.fill("input[name=email]", personas.anna.email.upper())
        page.click("button.primary")
        expect(page.locator("h1")).to_have_text("请查收邮件")
        shots.take("reset-sent", "en", "zh-hans")
        link = _reset_link()
        page.goto(link)
        shots.take("reset-choose", "en", "zh-hans")
        page.fill("input[name=new_password1]", "12345678")
        page.fill("input[name=new_password2]", "12345678")
        page.click("button.primary")
        expect(page.locator(".error").first).to_contain_text("密码")
        shots.now("reset-choose-refused-zh")
        page.fill("input[name=new_password1]", NEW_PASSWORD)
        page.fill("input[name=new_password2]", NEW_PASSWORD)
        page.click("button.primary")
        expect(page.locator("h1")).to_have_text("密码已修改")
        shots.take("reset-changed", "en", "zh-hans")
        page.goto(link)
        expect(page.locator("h1")).to_have_text("此链接已失效")
        shots.take("reset-link-used", "en", "zh-hans")
        _sign_in(page, url, personas.anna.email, NEW_PASSWORD)
        expect(page).to_have_url(re.compile(r"/portal/$"))
        _sign_out(page)

        # Wrong passwords up to the limit: the lockout page, in both languages.
        for _ in range(LOCKOUT_AFTER):
            _sign_in(page, url, personas.sam.email, "wrong-password")
        expect(page.locator("h1")).to_have_text("Sign-in paused")  # sam reads English
        shots.now("locked-en")
        shots.lang("zh-hans")
        _sign_in(page, url, personas.sam.email, PASSWORD)
        expect(page.locator("h1")).to_have_text("登录已暂停")
        shots.now("locked-zh")

        # SSO: a staff member gets in; a customer is told why not.
        provider.email = personas.alice.email
        page.goto(f"{url}/login/")
        page.click("text=使用单点登录（SSO）")
        expect(page).to_have_url(re.compile(r"/desk/$"))
        _sign_out(page)
        for code, text in (
            ("zh-hans", "单点登录仅供客服人员使用"),
            ("en", "Single sign-on is for"),
        ):
            shots.lang(code)
            provider.email = personas.otto.email
            page.goto(f"{url}/oidc/authenticate/")
            expect(page.locator(".flash")).to_contain_text(text)
            shots.now(f"sso-refused-{code[:2]}")
        browser.close()
    violations.assert_none()  # the pages ran under their CSP without a violation


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_factor_enrol_code_and_recovery_code_in_chromium(personas, served):
    from playwright.sync_api import expect, sync_playwright

    server, _ = served
    url = server.url
    lena = personas.lena
    with sync_playwright() as playwright:
        browser = _browser(playwright)
        context, violations = watched_context(browser, origin=url, locale="en-US")
        page = context.new_page()
        shots = Shots(page, url)
        _sign_in(page, url, lena.email, PASSWORD)
        expect(page).to_have_url(re.compile(r"/desk/$"))
        page.click("header a.who")
        expect(page.locator("figure.qr svg")).to_be_visible()
        shots.take("2fa-enrol", "zh-hans", "en")
        totp = pyotp.TOTP(page.locator(".secret").inner_text().replace(" ", ""))
        page.fill("input[name=code]", totp.now())
        page.click("button.primary")
        codes = page.locator("ol.codes code").all_inner_texts()
        assert len(codes) == 10 and len(set(codes)) == 10
        shots.now("2fa-codes-en")
        page.click("text=I have saved my codes")
        page.goto(f"{url}/account/security/")
        shots.take("2fa-status", "zh-hans", "en")

        # Sign in again: password, then a code from the app (the next 30 s window's: the one
        # just used for enrolment may not be used twice).
        _sign_out(page)
        _sign_in(page, url, lena.email, PASSWORD)
        expect(page).to_have_url(re.compile(r"/login/code/$"))
        shots.take("2fa-code-step", "zh-hans", "en")
        page.fill("input[name=code]", totp.at(time.time() + 30))
        page.click("button.primary")
        expect(page).to_have_url(re.compile(r"/desk/$"))

        # A recovery code signs in once; the second time it is refused.
        for _ in (1, 2):
            _sign_out(page)
            _sign_in(page, url, lena.email, PASSWORD)
            page.fill("input[name=code]", codes[0])
            page.click("button.primary")
        expect(page.locator(".error")).to_contain_text("already been used")
        shots.now("2fa-code-used-en")
        shots.lang("zh-hans")
        time.sleep(1.1)  # django-otp: 1 s after one wrong code, 2 s after two, …
        page.fill("input[name=code]", codes[0])
        page.click("button.primary")
        expect(page.locator(".error")).to_contain_text("已被使用")
        shots.now("2fa-code-used-zh")
        page.fill("input[name=code]", codes[1])  # at once: asked to wait, not told it is wrong
        page.click("button.primary")
        expect(page.locator(".error")).to_contain_text("请等待")
        shots.now("2fa-code-wait-zh")
        time.sleep(2.1)
        page.fill("input[name=code]", codes[1])
        page.click("button.primary")
        expect(page).to_have_url(re.compile(r"/desk/$"))

        # New recovery codes (confirmed with the app), shown once, in Chinese this time.
        page.goto(f"{url}/account/security/")
        page.fill("input[name=code]", totp.at(time.time() + 60))
        page.click("button.primary")
        expect(page.locator("ol.codes code")).to_have_count(10)
        shots.now("2fa-codes-zh")
        browser.close()
    violations.assert_none()  # the pages ran under their CSP without a violation
