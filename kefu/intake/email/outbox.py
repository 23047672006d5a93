"""Outbound mail: queued in the caller's transaction, sent by the worker after commit.

Each row is claimed with a conditional UPDATE (so several workers never send it twice), sent over
SMTP with Django's mail, and on failure retried with growing backoff. Failures are recorded on the
ticket; after the last attempt the row is "dead" and shown to admins, who may retry it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from kefu.intake.models import OutboundEmail
from kefu.jobs.sweepers import Sweeper
from kefu.tickets.models import Message, Ticket

log = logging.getLogger("kefu.mail")

BACKOFF = [timedelta(minutes=m) for m in (1, 5, 15, 60, 180, 360, 720, 1440)]
# A row being sent is leased; if its worker dies the lease runs out and another takes it.
LEASE = timedelta(minutes=5)
DUE_STATES = (OutboundEmail.State.PENDING, OutboundEmail.State.FAILED, OutboundEmail.State.SENDING)
BATCH = 50
# Marks our own mail, so a copy that loops back to a support mailbox is recognised.
ORIGIN_HEADER = "X-Kefu-Origin"


def mail_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "kefu.local"


def new_message_id() -> str:
    """A Message-ID without angle brackets (the form stored and matched everywhere)."""
    return f"{uuid.uuid4().hex}@{mail_domain()}"


def queue_email(
    *,
    to: Sequence[str],
    subject: str,
    text: str,
    kind: str,
    html: str = "",
    ticket: Ticket | None = None,
    message: Message | None = None,
    in_reply_to: str = "",
    references: Sequence[str] = (),
    from_address: str = "",
) -> OutboundEmail:
    return OutboundEmail.objects.create(
        ticket=ticket,
        ticket_message=message,
        kind=kind,
        from_address=from_address or settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        subject=subject[:255],
        text=text,
        html=html,
        message_id=new_message_id(),
        in_reply_to=in_reply_to,
        references=" ".join(references),
        next_attempt_at=timezone.now(),
    )


def _due(now: datetime) -> Q:
    return Q(state__in=DUE_STATES, next_attempt_at__lte=now)


def next_due() -> datetime | None:
    return OutboundEmail.objects.filter(state__in=DUE_STATES).aggregate(due=Min("next_attempt_at"))[
        "due"
    ]


def _claim(email_id: int, now: datetime) -> bool:
    claimed = OutboundEmail.objects.filter(_due(now), pk=email_id).update(
        state=OutboundEmail.State.SENDING, next_attempt_at=now + LEASE
    )
    return claimed == 1


def _as_django_mail(email: OutboundEmail) -> EmailMultiAlternatives:
    headers = {"Message-ID": f"<{email.message_id}>", ORIGIN_HEADER: mail_domain()}
    if email.in_reply_to:
        headers["In-Reply-To"] = f"<{email.in_reply_to}>"
    if email.references:
        headers["References"] = " ".join(f"<{r}>" for r in email.references.split())
    if email.kind != OutboundEmail.Kind.REPLY:
        headers["Auto-Submitted"] = "auto-replied"  # RFC 3834: machines should not answer
    if email.ticket is not None:
        headers["X-Kefu-Ticket"] = email.ticket.number
    mail = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=email.from_address,
        to=email.to,
        headers=headers,
    )
    if email.html:
        mail.attach_alternative(email.html, "text/html")
    return mail


def _record_failure(email: OutboundEmail, error: Exception, now: datetime) -> None:
    from kefu.accounts.access import SYSTEM
    from kefu.tickets.actions import record_event

    attempt = email.attempts
    dead = attempt >= len(BACKOFF)
    email.state = OutboundEmail.State.DEAD if dead else OutboundEmail.State.FAILED
    email.next_attempt_at = None if dead else now + BACKOFF[attempt - 1]
    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    with transaction.atomic():
        email.save(update_fields=["state", "next_attempt_at", "last_error"])
        if email.ticket is not None:
            record_event(
                email.ticket,
                SYSTEM,
                "mail_failed",
                data={"to": email.to, "attempt": attempt, "error": email.last_error, "dead": dead},
            )
    log.warning("mail %s to %s failed (attempt %d): %s", email.pk, email.to, attempt, error)


def send_due(now: datetime) -> int:
    ids = list(
        OutboundEmail.objects.filter(_due(now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    sent = 0
    connection = get_connection()
    for email_id in ids:
        if not _claim(email_id, now):
            continue  # another worker took it
        email = OutboundEmail.objects.select_related("ticket").get(pk=email_id)
        OutboundEmail.objects.filter(pk=email_id).update(attempts=email.attempts + 1)
        email.attempts += 1
        try:
            connection.send_messages([_as_django_mail(email)])
        except Exception as error:  # any SMTP or network failure is retried later
            _record_failure(email, error, timezone.now())
            continue
        OutboundEmail.objects.filter(pk=email_id).update(
            state=OutboundEmail.State.SENT, sent_at=timezone.now(), next_attempt_at=None
        )
        sent += 1
    return sent


def retry(email: OutboundEmail) -> bool:
    """An admin asks for another attempt (e.g. after fixing the SMTP settings).

    Only failed or abandoned mail is retried: sent mail must never go out twice.
    """
    retried = OutboundEmail.objects.filter(
        pk=email.pk, state__in=(OutboundEmail.State.FAILED, OutboundEmail.State.DEAD)
    ).update(state=OutboundEmail.State.PENDING, next_attempt_at=timezone.now())
    return retried == 1


SWEEPER = Sweeper(name="outbound-email", run=send_due, next_due=next_due, max_sleep=2.0)
