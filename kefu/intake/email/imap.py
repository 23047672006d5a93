"""IMAP polling of the support mailboxes: a sweeper of ``kefu worker``.

A mailbox is due when its ``next_poll_at`` has passed. A worker claims it with a conditional
UPDATE that pushes ``next_poll_at`` a lease ahead, so two workers never poll one mailbox at once
(and a crashed worker's lease simply runs out). New messages are found by UID above the last one
handled, under the folder's UIDVALIDITY; each is delivered, and only once its delivery has
committed is it moved to the done folder or flagged \\Seen, and the UID remembered. A crash in
between re-reads the message next time, which idempotency turns into a harmless duplicate.
Connection and login errors are kept in ``last_error`` and retried with growing backoff.
"""

from __future__ import annotations

import base64
import imaplib
import logging
import ssl
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Min, Q
from django.utils import timezone

from kefu.intake.email import authn
from kefu.intake.email.inbound import deliver
from kefu.intake.models import Mailbox
from kefu.jobs.sweepers import Sweeper

log = logging.getLogger("kefu.imap")

LEASE = timedelta(minutes=10)
BATCH = 200  # messages per poll; a fuller mailbox is polled again at once
MAX_BACKOFF = timedelta(hours=1)
TIMEOUT = 60  # seconds for connecting and for each command


# The operator's own mailbox: its Authentication-Results stamped with our authserv-id are
# believed (``authn``); SPF cannot be checked here, without the sending client's address.
OWN_SERVER = authn.Hop(relay_trusted=True)


class ImapFailure(Exception):
    """The server answered a command with NO or BAD."""


def imap_utf7(name: str) -> str:
    """A folder name in IMAP's modified UTF-7 (RFC 3501 5.1.3), e.g. ``已处理`` → ``&XfJZBHQG-``."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            encoded = base64.b64encode("".join(pending).encode("utf-16-be")).decode()
            out.append("&" + encoded.rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for char in name:
        if " " <= char <= "~":
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    return "".join(out)


def _folder(name: str) -> str:
    """A quoted folder argument (names may contain spaces)."""
    return '"' + imap_utf7(name).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ok(response: tuple[str, list]) -> list:
    status, data = response
    if status != "OK":
        raise ImapFailure(f"{status}: {data!r}"[:500])
    return data


def _due(now: datetime) -> Q:
    return ~Q(imap_host="") & (Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))


def next_due() -> datetime | None:
    polled = Mailbox.objects.exclude(imap_host="")
    if polled.filter(next_poll_at__isnull=True).exists():
        return timezone.now()
    return polled.aggregate(due=Min("next_poll_at"))["due"]


def _claim(mailbox_id: int, now: datetime) -> bool:
    return Mailbox.objects.filter(_due(now), pk=mailbox_id).update(next_poll_at=now + LEASE) == 1


def poll_due(now: datetime) -> int:
    """Poll every due mailbox this worker can claim; the number of messages delivered."""
    if connection.in_atomic_block:
        # Mail is moved on the server once its delivery has committed; inside an outer
        # transaction nothing would have committed yet.
        raise RuntimeError("IMAP polling must run outside a transaction")
    delivered = 0
    for mailbox_id in Mailbox.objects.filter(_due(now)).values_list("pk", flat=True):
        if _claim(mailbox_id, now):
            delivered += poll_mailbox(Mailbox.objects.get(pk=mailbox_id))
    return delivered


def poll_mailbox(mailbox: Mailbox) -> int:
    """Fetch and deliver the mailbox's new messages; errors are recorded, never raised."""
    try:
        with _connect(mailbox) as imap:
            delivered, more = _deliver_new(imap, mailbox)
    except Exception as error:  # network, TLS, login, server or database: retried later
        _record_failure(mailbox, error)
        return 0
    pause = timedelta(0) if more else timedelta(seconds=mailbox.poll_seconds)
    Mailbox.objects.filter(pk=mailbox.pk).update(
        next_poll_at=timezone.now() + pause,
        last_polled_at=timezone.now(),
        last_error="",
        poll_failures=0,
    )
    return delivered


def _connect(mailbox: Mailbox) -> imaplib.IMAP4:
    context = ssl.create_default_context()
    if mailbox.imap_ssl:
        imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(
            mailbox.imap_host, mailbox.imap_port, ssl_context=context, timeout=TIMEOUT
        )
    else:
        imap = imaplib.IMAP4(mailbox.imap_host, mailbox.imap_port, timeout=TIMEOUT)
        if "STARTTLS" in imap.capabilities:
            imap.starttls(ssl_context=context)
    try:
        _ok(imap.login(mailbox.imap_user, mailbox.imap_password))
    except Exception:
        imap.shutdown()
        raise
    return imap


def _new_uids(imap: imaplib.IMAP4, mailbox: Mailbox) -> list[int]:
    _ok(imap.select(_folder(mailbox.imap_folder)))
    validity = int(imap.response("UIDVALIDITY")[1][0])
    if mailbox.uid_validity != validity:
        # The folder was recreated and its UIDs start over; re-reading old mail is harmless.
        mailbox.uid_validity, mailbox.last_uid = validity, 0
        Mailbox.objects.filter(pk=mailbox.pk).update(uid_validity=validity, last_uid=0)
    found = _ok(imap.uid("SEARCH", f"UID {mailbox.last_uid + 1}:*"))
    # "n:*" always names the newest message, even when its UID is below n.
    return sorted(uid for uid in map(int, b" ".join(found).split()) if uid > mailbox.last_uid)


def _deliver_new(imap: imaplib.IMAP4, mailbox: Mailbox) -> tuple[int, bool]:
    uids = _new_uids(imap, mailbox)
    capabilities = _ok(imap.capability())[0].decode().upper().split()
    if uids and mailbox.imap_done_folder:
        imap.create(_folder(mailbox.imap_done_folder))  # answers NO when it exists already
    for uid in uids[:BATCH]:
        raw = _fetch(imap, uid)
        if raw is not None:
            deliver(raw, mailbox.code, hop=OWN_SERVER)  # committed (or quarantined) on return
            _mark_done(imap, mailbox, uid, capabilities)
        # Remember the UID and renew the lease: a long batch stays this worker's alone.
        renewed = timezone.now() + LEASE
        Mailbox.objects.filter(pk=mailbox.pk).update(last_uid=uid, next_poll_at=renewed)
        mailbox.last_uid = uid
    return min(len(uids), BATCH), len(uids) > BATCH


def _fetch(imap: imaplib.IMAP4, uid: int) -> bytes | None:
    """The message's bytes, without setting \\Seen; None if it vanished meanwhile."""
    data = _ok(imap.uid("FETCH", str(uid), "(BODY.PEEK[])"))
    parts = [item[1] for item in data if isinstance(item, tuple)]
    return parts[0] if parts else None


def _mark_done(imap: imaplib.IMAP4, mailbox: Mailbox, uid: int, capabilities: list[str]) -> None:
    if not mailbox.imap_done_folder:
        _ok(imap.uid("STORE", str(uid), "+FLAGS.SILENT", "(\\Seen)"))
        return
    folder = _folder(mailbox.imap_done_folder)
    if "MOVE" in capabilities:
        _ok(imap.uid("MOVE", str(uid), folder))
        return
    _ok(imap.uid("COPY", str(uid), folder))
    _ok(imap.uid("STORE", str(uid), "+FLAGS.SILENT", "(\\Seen \\Deleted)"))
    _ok(imap.uid("EXPUNGE", str(uid)) if "UIDPLUS" in capabilities else imap.expunge())


def _record_failure(mailbox: Mailbox, error: Exception) -> None:
    failures = mailbox.poll_failures + 1
    pause = min(timedelta(seconds=mailbox.poll_seconds) * 2 ** min(failures, 16), MAX_BACKOFF)
    message = f"{type(error).__name__}: {error}"[:2000]
    Mailbox.objects.filter(pk=mailbox.pk).update(
        poll_failures=failures, last_error=message, next_poll_at=timezone.now() + pause
    )
    log.warning("polling %s failed (%d in a row): %s", mailbox, failures, message)


SWEEPER = Sweeper(name="imap-poll", run=poll_due, next_due=next_due, max_sleep=5.0)
