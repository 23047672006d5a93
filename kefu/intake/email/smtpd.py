"""The built-in SMTP listener (``kefu smtpd``): mail for the support mailboxes, straight in.

Recipients are checked against the configured ``Mailbox`` addresses (anything else is refused
with 550, so this is never an open relay). The message is handed to ``deliver`` in a worker
thread, because the ORM must not run on the event loop, and the client hears 250 only after
the message is committed or quarantined. If even that fails (the database is down) it hears
451 and tries again later: the sending server keeps the message, so nothing is lost.

Who may talk to it: clients outside KEFU_SMTPD_ALLOWED_NETWORKS (when set) are refused at MAIL;
SMTP AUTH (KEFU_SMTPD_USERS, required with KEFU_SMTPD_REQUIRE_AUTH) signs in a relay. Each
message's sender is authenticated (SPF with the client's address, DKIM, DMARC; ``authn``); the
Authentication-Results of a trusted relay (KEFU_MAIL_TRUSTED_RELAYS, or signed in) are believed.
AUTH is offered without TLS: use it on a private network or behind a TLS-terminating proxy.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from django.conf import settings
from django.db import connections

from kefu.intake.email import authn
from kefu.intake.email.inbound import MAX_EMAIL_BYTES, deliver
from kefu.intake.ingest import IngestResult
from kefu.intake.models import Mailbox

log = logging.getLogger("kefu.smtpd")
T = TypeVar("T")


def mailbox_code(address: str) -> str | None:
    """The purpose of the support mailbox at ``address`` (case-insensitive), if it is one."""
    found = Mailbox.objects.filter(address__iexact=address.strip()).values_list("code", flat=True)
    return next(iter(found), None)


def deliver_envelope(
    content: bytes, recipients: list[str], hop: authn.Hop | None = None
) -> IngestResult:
    """One message, however many of our mailboxes it names: the first recipient's purpose."""
    codes = [code for code in map(mailbox_code, recipients) if code]
    return deliver(content, codes[0] if codes else "service", hop=hop)


def hop_of(session: Session, envelope: Envelope) -> authn.Hop:
    """How this message reached us: the client's address, HELO and envelope sender."""
    client_ip = str(session.peer[0]) if session.peer else ""
    trusted = bool(session.authenticated) or authn.trusted_relay(client_ip)
    return authn.Hop(client_ip=client_ip, helo=session.host_name or "",
                     mail_from=envelope.mail_from or "", relay_trusted=trusted)  # fmt: skip


def check_login(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: object
) -> AuthResult:
    """SMTP AUTH (PLAIN, LOGIN) against KEFU_SMTPD_USERS."""
    if not isinstance(auth_data, LoginPassword):
        return AuthResult(success=False, handled=False)
    login = auth_data.login.decode("utf-8", "replace")
    expected = settings.KEFU_SMTPD_USERS.get(login)
    ok = expected is not None and hmac.compare_digest(expected.encode(), auth_data.password)
    return AuthResult(success=ok, handled=False)


class IntakeHandler:
    """aiosmtpd handler: RCPT checks the mailbox, DATA delivers in a thread."""

    def __init__(self, workers: int = 4) -> None:
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="smtpd")

    async def _in_thread(self, function: Callable[..., T], *args: Any) -> T:
        def run() -> T:
            # A connection per call, like a request: idle pool threads hold none open.
            try:
                return function(*args)
            finally:
                connections.close_all()

        return await asyncio.get_running_loop().run_in_executor(self.executor, run)

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        allowed = settings.KEFU_SMTPD_ALLOWED_NETWORKS
        client_ip = str(session.peer[0]) if session.peer else ""
        if allowed and not authn.in_networks(client_ip, allowed):
            log.warning("refused mail from %s: not an allowed sender network", client_ip)
            return "554 5.7.1 Your network may not send mail here"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        try:
            code = await self._in_thread(mailbox_code, address)
        except Exception:
            log.exception("could not look up the mailbox %s", address)
            return "451 4.3.0 Temporary failure, try again later"
        if code is None:
            return f"550 5.1.1 <{address}>: no such support mailbox"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        try:
            hop = hop_of(session, envelope)
            result = await self._in_thread(deliver_envelope, raw, list(envelope.rcpt_tos), hop)
        except Exception:
            log.exception("could not store a message from %s", envelope.mail_from)
            return "451 4.3.0 Could not store the message, try again later"
        ticket = f" {result.ticket.number}" if result.ticket else ""
        return f"250 2.0.0 Accepted: {result.outcome}{ticket}"


def start_listener(host: str = "127.0.0.1", port: int = 2525) -> Controller:
    """Listen in a background thread; call ``.stop()`` on the result to stop."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    controller = Controller(
        IntakeHandler(),
        hostname=host,
        port=port,
        data_size_limit=MAX_EMAIL_BYTES,
        enable_SMTPUTF8=True,
        ident="Kefu smtpd",
        authenticator=check_login if settings.KEFU_SMTPD_USERS else None,
        auth_required=settings.KEFU_SMTPD_REQUIRE_AUTH,
        auth_require_tls=False,  # see the module's docstring
    )
    controller.start()
    return controller
