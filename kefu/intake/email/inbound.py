"""Inbound email → ``InboundMessage`` → the pipeline. Used by all three ways mail arrives:
IMAP polling, the built-in SMTP listener, and the webhook for mail providers.

Each says how the mail reached us (``authn.Hop``); the From address is authenticated before the
pipeline's transaction (it asks DNS) and counts as proof of the sender only when it passes
(``authn``, ``intake.identity``).
"""

from __future__ import annotations

import hashlib

from kefu.delivery.email import ORIGIN_HEADER, mail_domain
from kefu.delivery.models import Delivery
from kefu.intake.base import InboundAttachment, InboundMessage
from kefu.intake.email import authn
from kefu.intake.identity import EMAIL
from kefu.intake.ingest import IngestResult, ingest, quarantine
from kefu.lib.mime import NotAnEmailError, ParsedEmail, parse_email
from kefu.lib.quotes import split_reply
from kefu.tickets.models import Channel

MAILBOXES = ("service", "merchant", "complaint")
# The largest message any way in accepts (webhook, SMTP listener); IMAP skips larger ones.
MAX_EMAIL_BYTES = 30 * 1024 * 1024


def _is_ours(parsed: ParsedEmail) -> bool:
    """Our own mail coming back: marked by our header, or carrying one of our Message-IDs."""
    if parsed.headers.get(ORIGIN_HEADER.lower()) == mail_domain():
        return True
    mid = parsed.message_id or ""
    return mid.endswith(f"@{mail_domain()}") and Delivery.objects.filter(key=mid).exists()


def _references(parsed: ParsedEmail) -> list[str]:
    """Threading ids; a bounce or receipt also names the message it returns (often ours)."""
    returned = [f.message_id for f in parsed.forwarded if f.returned and f.message_id]
    return [r for r in [parsed.in_reply_to, *parsed.references, *returned] if r]


def to_inbound(parsed: ParsedEmail, raw: bytes, mailbox: str) -> InboundMessage:
    whole = parsed.full_text()
    visible, _quoted = split_reply(parsed.text)
    machine = parsed.auto if parsed.is_machine_mail else None
    return InboundMessage(
        channel=Channel.EMAIL,
        external_id=parsed.message_id or f"sha256:{parsed.raw_sha256}",
        text=visible.strip() or whole.strip(),
        full_text=whole if whole.strip() != visible.strip() else "",
        html=parsed.html or "",
        subject=parsed.subject,
        sender_address=parsed.from_address or "",
        sender_name=parsed.from_name,
        references=_references(parsed),
        mailbox=mailbox,
        auto_kind=machine.kind.value if machine else "",
        auto_reason=machine.reason if machine else "",
        suppress_ack=parsed.suppress_auto_reply,
        from_us=_is_ours(parsed),
        attachments=[
            InboundAttachment(a.filename or "attachment", a.data, a.inline)
            for a in parsed.attachments
        ],
        raw=raw,
        raw_suffix=".eml",
    )


def deliver(
    raw: bytes, mailbox: str = "service", *, sender: str = "", hop: authn.Hop | None = None
) -> IngestResult:
    """Take one raw RFC 5322 message; it lands, or it is quarantined with the reason.

    ``sender`` stands in for a missing or unusable From address: an admin's fix of a message
    that was quarantined for having none (typed, so never proven). ``hop``: how it reached us;
    by default nobody is trusted and only what the message itself carries (DKIM) is checked.
    """
    try:
        parsed = parse_email(raw)
    except NotAnEmailError as error:
        placeholder = InboundMessage(
            channel=Channel.EMAIL,
            external_id=f"sha256:{hashlib.sha256(raw).hexdigest()}",
            text="",
            mailbox=mailbox,
            raw=raw,
            raw_suffix=".eml",
        )
        return quarantine(placeholder, "parse", str(error))
    message = to_inbound(parsed, raw, mailbox)
    if sender and not EMAIL.fullmatch(message.sender_address.strip()):
        message.sender_address = sender
    else:
        _authenticate(message, raw, hop or authn.Hop())
    return ingest(message)


def _authenticate(message: InboundMessage, raw: bytes, hop: authn.Hop) -> None:
    """Set the proof of the sender, or the note that says why there is none."""
    if message.auto_kind or message.from_us or not EMAIL.fullmatch(message.sender_address):
        return  # machine mail and our own: nobody to prove
    results = authn.authenticate(raw, hop)
    domain = message.sender_address.rpartition("@")[2].lower()
    if results.proven and results.domain == domain:
        message.sender_proof = f"mail:{results.proof}"
    message.proof_note = results.note[:500]
