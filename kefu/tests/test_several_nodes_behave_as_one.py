"""Several app nodes behave as one (issue #18, must show 4): two `kefu serve --no-worker`
processes and two `kefu worker` processes, each with a data directory of its own, sharing one
PostgreSQL, one Redis and one S3-compatible object storage (moto's server). A customer uploads a
file through node A and the agent downloads the same bytes through node B; the agent answers
with a file through node B and the customer downloads it through node A; the reply mail goes out
once although two workers sweep the outbox; and a chat's visitor on node A talks with its agent
on node B."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import connection, connections
from django.test import Client

from kefu.delivery.models import Delivery
from kefu.delivery.tests.test_email_smtp import CapturingHandler
from kefu.intake.tests.test_chat_redis import REDIS_URL, _redis_answers, _talk
from kefu.testing import (
    RunningServer,
    S3Server,
    free_port,
    launch_chromium,
    open_chat_around_the_clock,
    sample_file,
    server_env,
    sign_in,
    switch_language,
    watched_context,
    within,
)
from kefu.tickets.models import Attachment, Ticket

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="nodes share a PostgreSQL server, not a file"
    ),
    pytest.mark.skipif(not _redis_answers(), reason=f"Redis does not answer at {REDIS_URL}"),
]


@contextmanager
def _worker(env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "kefu.cli", "worker"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield process
    finally:
        process.terminate()
        process.wait(30)


def _node_env(root: Path, name: str, shared: dict[str, str]) -> dict[str, str]:
    data_dir = root / name
    data_dir.mkdir()
    return server_env(data_dir, KEFU_LOG_LEVEL="WARNING", **shared)


def _upload_through_node_a(page, url: str, data: bytes) -> str:  # type: ignore[no-untyped-def]
    """The customer's new ticket with a photo; its number."""
    page.goto(f"{url}/portal/new/")
    page.fill("input[name=subject]", "Parcel arrived crushed")
    page.fill("textarea[name=body]", "The box was crushed, photo attached. Order 4471.")
    page.set_input_files(
        "input[name=attachments]",
        files=[{"name": "crushed-box.png", "mimeType": "image/png", "buffer": data}],
    )
    with page.expect_navigation():
        page.click("form.grid button.primary")
    return str(Ticket.objects.get(subject="Parcel arrived crushed").number)


def _download(page, filename: str) -> bytes:  # type: ignore[no-untyped-def]
    """The file behind the page's link, fetched with the page's session (cookies)."""
    href = page.locator(f"a:has-text('{filename}')").first.get_attribute("href")
    response = page.context.request.get(_origin(page) + str(href))
    assert response.status == 200
    return bytes(response.body())


def _origin(page) -> str:  # type: ignore[no-untyped-def]
    return "/".join(page.url.split("/", 3)[:3])


def _browser_journey(personas, node_a: str, node_b: str, files: dict[str, bytes]) -> str:  # type: ignore[no-untyped-def]
    """Customer on node A, agent on node B, each downloading the other's file; the ticket."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        customer_context, customer_csp = watched_context(
            browser, viewport={"width": 390, "height": 844}
        )
        customer = customer_context.new_page()
        sign_in(customer, node_a, personas.anna)
        number = _upload_through_node_a(customer, node_a, files["crushed-box.png"])
        customer.screenshot(path=str(ARTIFACTS / "nodes-customer-uploaded-on-a-390-en.png"))

        agent_context, agent_csp = watched_context(browser, viewport={"width": 1280, "height": 900})
        agent = agent_context.new_page()
        sign_in(agent, node_b, personas.ada)  # admin: sees every team's tickets
        agent.goto(f"{node_b}/desk/t/{number}/")
        assert _download(agent, "crushed-box.png") == files["crushed-box.png"]
        agent.screenshot(path=str(ARTIFACTS / "nodes-agent-sees-file-on-b-en.png"), full_page=True)
        agent.fill(
            "#reply-form textarea[name=body]", "Sorry about that: the refund receipt is attached."
        )
        receipt = {"name": "refund-receipt.pdf", "mimeType": "application/pdf",
                   "buffer": files["refund-receipt.pdf"]}  # fmt: skip
        agent.set_input_files("#reply-form input[name=attachments]", files=[receipt])
        with agent.expect_navigation():
            agent.click("#reply-form button.primary")
        switch_language(agent, "zh-hans")
        agent.screenshot(path=str(ARTIFACTS / "nodes-agent-replied-on-b-zh.png"), full_page=True)

        customer.goto(f"{node_a}/portal/t/{number}/")
        assert _download(customer, "refund-receipt.pdf") == files["refund-receipt.pdf"]
        switch_language(customer, "zh-hans")
        customer.screenshot(
            path=str(ARTIFACTS / "nodes-customer-downloads-on-a-390-zh.png"), full_page=True
        )
        customer_csp.assert_none()
        agent_csp.assert_none()
        browser.close()
        connections.close_all()  # the ORM's in Playwright's loop, for the test database's drop
    return number


def _agent_cookie(user) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def _chat(visitor_node: str, agent_node: str, cookie: str) -> tuple[str, str]:
    """A visitor on one node and an agent on the other; what each heard from the other."""
    visitor_url = visitor_node.replace("http://", "ws://") + "/ws/chat/"
    agent_url = agent_node.replace("http://", "ws://") + "/ws/desk/"
    try:
        return await _talk(visitor_url, agent_url, cookie)
    finally:
        await sync_to_async(connections.close_all)()  # the ORM's, for the test database's drop


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_servers_and_two_workers_serve_one_journey(personas, tmp_path, monkeypatch):
    open_chat_around_the_clock()
    files = {"crushed-box.png": sample_file("png"), "refund-receipt.pdf": sample_file("pdf")}
    smtp = CapturingHandler()
    with ExitStack() as stack:
        s3 = stack.enter_context(S3Server())
        mail = Controller(smtp, hostname="127.0.0.1", port=free_port())
        mail.start()
        stack.callback(mail.stop)
        shared = {
            **s3.env,
            "KEFU_REDIS_URL": REDIS_URL,
            "KEFU_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "KEFU_SMTP_HOST": "127.0.0.1",
            "KEFU_SMTP_PORT": str(mail.port),
        }
        node_a = stack.enter_context(RunningServer(_node_env(tmp_path, "a", shared)))
        node_b = stack.enter_context(RunningServer(_node_env(tmp_path, "b", shared)))
        for name in ("worker-1", "worker-2"):
            stack.enter_context(_worker(_node_env(tmp_path, name, shared)))

        heard = asyncio.run(_chat(node_a.url, node_b.url, _agent_cookie(personas.lena)))
        # Playwright's sync API runs an event loop in this thread; the ORM calls here are sync.
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        number = _browser_journey(personas, node_a.url, node_b.url, files)

        reply = Delivery.objects.get(ticket__number=number, kind=Delivery.Kind.REPLY)
        sent = Delivery.objects.filter(pk=reply.pk, state=Delivery.State.SENT)
        within(60, sent.exists)
        keys = set(s3.object_keys())
    assert heard == ("from process B", "from process A")
    # Both files in the shared bucket, none on a node's own disk.
    stored = {f"media/{a.file.name}" for a in Attachment.objects.filter(ticket__number=number)}
    assert len(stored) == 2 and stored <= keys
    assert not [path for path in tmp_path.rglob("*") if "attachments" in path.parts]
    # Two workers swept the outbox: the reply went out once, on its first attempt.
    reply.refresh_from_db()
    assert (reply.attempts, reply.lost_leases) == (1, 0)
    to_anna = [raw for _from, to, raw in smtp.received if personas.anna.email in to]
    assert sum(f"<{reply.message_id}>".encode() in raw for raw in to_anna) == 1
