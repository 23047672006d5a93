"""Named test personas and helpers shared by every test module.

Org A ("Acme Trading") has Anna (main account) and Sam (a sub-account that may create tickets
and see tickets about orders). Org B ("Orbit Merchants") has Otto. Staff: Alice (orders team),
Bob (billing team), Lena (lead of orders), Quinn (QA) and Ada (admin).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client

from kefu.accounts.access import Viewer, viewer_for
from kefu.accounts.actions import create_agent, create_api_token, create_customer
from kefu.accounts.models import Account, Agent, Organization, Team, User
from kefu.intake.email.fakedns import FakeDns
from kefu.tickets import actions
from kefu.tickets.models import Category, Channel, Ticket

PASSWORD = "persona-password-1"


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with test-sized cost parameters (production uses Django's defaults)."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1


@dataclass
class Personas:
    acme: Organization
    orbit: Organization
    anna: User
    sam: User
    otto: User
    alice: User
    bob: User
    lena: User
    quinn: User
    ada: User
    orders: Team
    billing: Team

    def viewer(self, user: User) -> Viewer:
        return viewer_for(user)


def make_personas() -> Personas:
    orders = Team.objects.get(code="orders")
    billing = Team.objects.get(code="billing")
    acme = Organization.objects.create(name="Acme Trading", code="acme", kind="buyer")
    orbit = Organization.objects.create(name="Orbit Merchants", code="orbit", kind="merchant")
    anna = create_customer(
        email="anna@acme.test",
        name="Anna",
        organization=acme,
        password=PASSWORD,
        is_main=True,
        language="en",
    ).user
    sam = create_customer(
        email="sam@acme.test",
        name="Sam",
        organization=acme,
        password=PASSWORD,
        scopes=[Account.Scope.CREATE_TICKETS, Account.Scope.ORDER_TICKETS],
        language="en",
    ).user
    otto = create_customer(
        email="otto@orbit.test",
        name="Otto",
        organization=orbit,
        password=PASSWORD,
        is_main=True,
        language="zh-hans",
    ).user
    alice = create_agent(
        language="en",
        email="alice@kefu.test",
        code="A0001",
        name="Alice",
        password=PASSWORD,
        teams=[orders],
    ).user
    bob = create_agent(
        language="en",
        email="bob@kefu.test",
        code="A0002",
        name="Bob",
        password=PASSWORD,
        teams=[billing],
    ).user
    lena = create_agent(
        language="en",
        email="lena@kefu.test",
        code="L0001",
        name="Lena",
        password=PASSWORD,
        role=Agent.Role.LEAD,
        teams=[orders],
    ).user
    quinn = create_agent(
        language="en",
        email="quinn@kefu.test",
        code="Q0001",
        name="Quinn",
        password=PASSWORD,
        role=Agent.Role.QA,
    ).user
    ada = create_agent(
        language="en",
        email="ada@kefu.test",
        code="ADM01",
        name="Ada",
        password=PASSWORD,
        role=Agent.Role.ADMIN,
    ).user
    orders.lead = lena.agent
    orders.save()
    return Personas(acme=acme, orbit=orbit, anna=anna, sam=sam, otto=otto, alice=alice, bob=bob,
                    lena=lena, quinn=quinn, ada=ada, orders=orders, billing=billing)  # fmt: skip


def make_ticket(requester: User, **fields: Any) -> Ticket:
    """A ticket filed by ``requester`` through the actions, defaulting to an order question."""
    category_code = fields.pop("category", "order_trade")
    options: dict[str, Any] = {
        "subject": "Where is my order?",
        "body": "Order PO-1 has not arrived.",
        "channel": Channel.WEB,
        "category": Category.objects.get(code=category_code) if category_code else None,
        "language": requester.lang,
    }
    options.update(fields)
    account = getattr(requester, "account", None)
    return actions.create_ticket(
        actor=viewer_for(requester) if account else Viewer(user=requester, system=True),
        requester=requester,
        organization=account.organization if account else None,
        **options,
    )


def assigned_ticket(personas: Personas, **fields: Any) -> Ticket:
    """Anna's ticket (``make_ticket``), assigned to Alice by Lena, her team lead."""
    ticket = make_ticket(personas.anna, **fields)
    return actions.update_ticket(
        ticket=ticket,
        actor=personas.viewer(personas.lena),
        changes={"assignee": personas.alice.agent},
    )


def api_client(user: User, **headers: str) -> Client:
    """A test client that authenticates with a fresh bearer token of ``user``."""
    token = create_api_token(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {token}", **headers})


def session_client(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def sample_file(kind: str, size: int = 0) -> bytes:
    """Real, minimal files of each kind for upload tests; ``size`` pads to at least that."""
    import io

    from PIL import Image

    if kind in ("png", "jpeg"):
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), "red").save(buffer, format=kind.upper())
        data = buffer.getvalue()
    elif kind == "pdf":
        data = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    elif kind == "exe":
        data = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"PE\x00\x00"
    else:
        raise ValueError(kind)
    if size > len(data) and kind == "pdf":
        # Padding inside a comment keeps the PDF well-formed with %%EOF at the end.
        head, tail = data[:-6], b"\n%%EOF\n"
        data = head + b"%" + b"x" * (size - len(head) - 1 - len(tail)) + tail
    elif size > len(data):
        data += b"\x00" * (size - len(data))
    return data


def within(seconds: float, found: Callable[[], object]) -> object:
    """``found()``'s first true value, asked every 0.2 s; AssertionError after ``seconds``
    (what another process does shows up some time later)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := found():
            return value
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(tmp_path: Any, **extra: str) -> dict[str, str]:
    """Environment for a `kefu serve` subprocess that uses this test's (committed) database."""
    import os

    from django.conf import settings
    from django.db import connection

    hidden = ("PYTEST_VERSION", "KEFU_TEST_DATABASE_URL")
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{settings_dict['NAME']}"
    else:
        url = (
            f"postgresql://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
            f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
        )
    env.update(KEFU_DATABASE_URL=url, KEFU_DATA_DIR=str(tmp_path), **extra)
    # The server signs sessions with the tests' key, so a session made here is valid there.
    env.setdefault("KEFU_SECRET_KEY", settings.SECRET_KEY)
    return env


class RunningServer:
    """`kefu serve` in a subprocess, for tests that need real WebSockets or a browser. Its worker
    (timers, outbox) runs only when asked: most tests drive time and delivery themselves."""

    def __init__(self, env: dict[str, str], port: int | None = None, *, worker: bool = False):
        self.env = env
        self.options = [] if worker else ["--no-worker"]
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: Any = None

    def __enter__(self) -> RunningServer:
        import subprocess
        import sys
        import time
        import urllib.request

        self.process = subprocess.Popen(
            [sys.executable, "-m", "kefu.cli", "serve", "--port", str(self.port), *self.options],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.process.stderr.read().decode()) from None
                time.sleep(0.2)
        raise RuntimeError("kefu serve did not start in 30 s")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(10)


# --- browsers -----------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# What every browser test module starts with: its marks, where its screenshots go, the viewports.
BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Runs before any page script (Playwright injects it outside the page's CSP): the page reports
# each violation itself, besides the "Refused to …" lines Chromium writes to the console.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` in ${event.sourceFile || event.documentURI}:${event.lineNumber}`);
}, true);
"""


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium (never a browser Playwright downloads)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


class CspViolations:
    """Every Content-Security-Policy violation in a Playwright browser context, and every page
    served without a policy (a test could otherwise pass with the policy gone). Browser tests
    open their contexts through ``watched_context`` and end with ``assert_none()``."""

    def __init__(self, context: Any, origin: str = "") -> None:
        self.seen: list[str] = []
        self.origin = origin  # pages of other origins (a fake identity provider) are not Kefu's
        context.add_init_script(_REPORT_CSP_VIOLATIONS)
        context.on("console", self._console)
        context.on("response", self._response)

    def _console(self, message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or text.startswith("CSP violation"):
            self.seen.append(text)

    def _response(self, response: Any) -> None:
        document = response.request.resource_type == "document"
        ours = response.url.startswith(self.origin)
        if document and ours and "content-security-policy" not in response.headers:
            self.seen.append(f"no Content-Security-Policy on {response.url}")

    def assert_none(self) -> None:
        assert self.seen == [], "\n".join(self.seen)


def watched_context(browser: Any, origin: str = "", **options: Any) -> tuple[Any, CspViolations]:
    """A new browser context whose CSP violations are collected (and pages of ``origin``
    served without a policy, when given; every page's otherwise)."""
    context = browser.new_context(**options)
    return context, CspViolations(context, origin)


def sign_in(page: Any, base_url: str, user: User) -> None:
    """Through the sign-in form, as a person would."""
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_load_state()


def switch_language(page: Any, language: str) -> None:
    """What the top bar's language menu does (``language``: ``en`` or ``zh-hans``)."""
    with page.expect_navigation():
        page.locator("form.lang").evaluate(
            f"form => {{ form.language.value = '{language}'; form.submit(); }}"
        )


def open_chat_around_the_clock() -> None:
    """Chat tests must not depend on the hour they run at: the chat calendar opens 24×7."""
    from kefu.sla.models import BusinessCalendar

    calendar = BusinessCalendar.objects.get(code="cn-chat")
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
        setattr(calendar, day, "00:00-24:00")
    calendar.off_day_hours = "00:00-24:00"
    calendar.save()


def close_chat_for_now() -> None:
    """Chat tests of after-hours behaviour must not depend on the hour they run at: the chat
    calendar opens for half an hour every day, starting one to two hours from now."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from kefu.sla.models import BusinessCalendar

    calendar = BusinessCalendar.objects.get(code="cn-chat")
    later = (timezone.now() + timedelta(hours=2)).astimezone(ZoneInfo(calendar.zone))
    window = f"{later.hour:02d}:00-{later.hour:02d}:30"
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
        setattr(calendar, day, window)
    calendar.off_day_hours = window
    calendar.save()


DKIM_SELECTOR = "kefu-test"


def dkim_key() -> tuple[bytes, str]:
    """A 1024-bit RSA key made once per test run: (private PEM, the public key for DNS)."""
    global _DKIM_KEY
    if _DKIM_KEY is None:
        import base64

        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
        encoding, formats = serialization.Encoding, serialization.PublicFormat
        private = key.private_bytes(encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                    serialization.NoEncryption())  # fmt: skip
        public = key.public_key().public_bytes(encoding.DER, formats.SubjectPublicKeyInfo)
        _DKIM_KEY = (private, base64.b64encode(public).decode())
    return _DKIM_KEY


_DKIM_KEY: tuple[bytes, str] | None = None


def publish_mail_domain(
    dns_server: FakeDns, domain: str, *, spf: str = "", dmarc: str = ""
) -> None:
    """The domain's DKIM key (``kefu-test._domainkey``), and its SPF and DMARC records if given."""
    dns_server.add_txt(f"{DKIM_SELECTOR}._domainkey.{domain}", f"v=DKIM1; k=rsa; p={dkim_key()[1]}")
    if spf:
        dns_server.add_txt(domain, spf)
    if dmarc:
        dns_server.add_txt(f"_dmarc.{domain}", dmarc)


def authenticated(raw: bytes, dns_server: FakeDns) -> bytes:
    """``raw`` DKIM-signed by its From domain, whose key ``dns_server`` now publishes."""
    from email import message_from_bytes
    from email.utils import parseaddr

    domain = parseaddr(str(message_from_bytes(raw)["From"]))[1].rpartition("@")[2].lower()
    if (f"{DKIM_SELECTOR}._domainkey.{domain}", "TXT") not in dns_server.records:
        publish_mail_domain(dns_server, domain)
    return dkim_signed(raw, domain)


def dkim_signed(raw: bytes, domain: str) -> bytes:
    """``raw`` with a real DKIM signature of ``domain`` in front (dkimpy's ``dkim.sign``)."""
    import dkim

    headers = [b"from", b"to", b"subject", b"date", b"message-id", b"in-reply-to",
               b"references", b"content-type"]  # fmt: skip
    signature = dkim.sign(raw, DKIM_SELECTOR.encode(), domain.encode(), dkim_key()[0],
                          include_headers=headers)  # fmt: skip
    return signature + raw


# --- object storage ---------------------------------------------------------------------------


class S3Server:
    """moto's S3-compatible server on 127.0.0.1 (a free port), with one empty bucket: the shared
    object storage of tests where several nodes must see the same files. ``env`` holds the
    ``KEFU_S3_*`` variables for a node; ``storages`` the matching Django setting."""

    def __init__(self, bucket: str = "kefu-test") -> None:
        self.bucket, self.port = bucket, free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.env = {
            "KEFU_S3_BUCKET": bucket,
            "KEFU_S3_ENDPOINT_URL": self.endpoint,
            "KEFU_S3_REGION": "us-east-1",
            "KEFU_S3_ACCESS_KEY": "kefu-test",
            "KEFU_S3_SECRET_KEY": "kefu-test-secret",
            "KEFU_S3_PREFIX": "media",
        }
        self.server: Any = None

    def __enter__(self) -> S3Server:
        from moto.server import ThreadedMotoServer

        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()
        self.client().create_bucket(Bucket=self.bucket)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop()

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=self.env["KEFU_S3_REGION"],
            aws_access_key_id=self.env["KEFU_S3_ACCESS_KEY"],
            aws_secret_access_key=self.env["KEFU_S3_SECRET_KEY"],
        )

    def object_keys(self) -> list[str]:
        listed = self.client().list_objects_v2(Bucket=self.bucket)
        return [item["Key"] for item in listed.get("Contents", [])]

    def storages(self) -> dict[str, Any]:
        """``settings.STORAGES`` as a node with ``env`` has it."""
        from django.conf import settings

        from kefu.settings import s3_storage

        return {**settings.STORAGES, "default": s3_storage(self.env)}
