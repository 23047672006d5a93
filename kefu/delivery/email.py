"""Mail: queued as outbox rows in the caller's transaction, sent over SMTP by the worker.

Mail about a ticket is written in the customer's language; its subject carries ``[KF…]`` and it
carries Message-ID / In-Reply-To / References, so the customer's answer threads back to the
ticket whichever way their mail client replies. ``X-Kefu-Origin`` marks our own mail, so a copy
that loops back into a support mailbox is recognised.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kefu.accounts.access import SYSTEM
from kefu.delivery.models import Delivery
from kefu.intake.models import InboundRecord, Mailbox
from kefu.lib.process_cache import ProcessCache
from kefu.tickets.actions import record_event
from kefu.tickets.models import Channel, EventKind, Message, Ticket

ORIGIN_HEADER = "X-Kefu-Origin"
# Tickets whose replies go to the customer by mail (a chat's go to its widget first).
MAILED_CHANNELS = (Channel.EMAIL, Channel.WEB, Channel.API, Channel.PHONE)
MAX_REFERENCES = 20


def mailable(address: str) -> bool:
    """Whether mail to ``address`` can arrive: ``.invalid`` (RFC 2606) stands for people Kefu
    knows no address of (WeChat followers, callers known only by number, erased people), and is
    never mailed."""
    return bool(address) and not address.lower().rstrip(".").endswith(".invalid")


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
) -> Delivery:
    """Write the mail into the outbox; the worker sends it after the caller commits."""
    return Delivery.objects.create(
        channel=Delivery.Channel.EMAIL,
        kind=kind,
        key=new_message_id(),
        ticket=ticket,
        ticket_message=message,
        from_address=from_address or settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        subject=subject[:255],
        text=text,
        html=html,
        in_reply_to=in_reply_to,
        references=" ".join(references),
        next_attempt_at=timezone.now(),
    )


def django_language(ticket_language: str) -> str:
    return "zh-hans" if ticket_language.startswith("zh") else "en"


def thread_ids(ticket: Ticket) -> list[str]:
    """Message-IDs of the ticket's mail so far, oldest first (inbound and outbound)."""
    inbound = InboundRecord.objects.filter(ticket=ticket, channel=Channel.EMAIL).values_list(
        "received_at", "external_id"
    )
    outbound = Delivery.objects.filter(ticket=ticket, channel=Delivery.Channel.EMAIL).values_list(
        "created_at", "key"
    )
    ordered = sorted(inbound.union(outbound, all=True))
    return [message_id for _, message_id in ordered][-MAX_REFERENCES:]


def _load_mailboxes() -> list[tuple[str, str]]:
    return list(Mailbox.objects.values_list("code", "address"))


# Read for every mail about a ticket, edited rarely.
_mailboxes = ProcessCache(_load_mailboxes, forget_on=[Mailbox])


def sender_for(ticket: Ticket) -> str:
    """The address of the mailbox the ticket came in through (the default sender otherwise)."""
    addresses = dict(_mailboxes.get())
    return addresses.get(ticket.mailbox, "") if ticket.mailbox else ""


def mail_ticket(
    ticket: Ticket,
    *,
    template: str,
    kind: str,
    context: dict[str, Any],
    to: Sequence[str] | None = None,
    message: Message | None = None,
) -> Delivery | None:
    """Render ``email/<template>.txt|.html`` in the ticket's language and queue it; None when no
    recipient can receive mail (contacts known only by a WeChat OpenID, erased people)."""
    recipients = [address for address in (to or [ticket.requester.email]) if mailable(address)]
    if not recipients:
        return None
    references = thread_ids(ticket)
    with translation.override(django_language(ticket.language)):
        full = {"ticket": ticket, "site_url": settings.SITE_URL, **context}
        text = render_to_string(f"email/{template}.txt", full)
        html = render_to_string(f"email/{template}.html", full)
        subject = render_to_string("email/subject.txt", full).strip()
    return queue_email(
        to=recipients,
        subject=subject,
        text=text,
        html=html,
        kind=kind,
        ticket=ticket,
        message=message,
        in_reply_to=references[-1] if references else "",
        references=references,
        from_address=sender_for(ticket),
    )


def as_django_mail(delivery: Delivery) -> EmailMultiAlternatives:
    headers = {"Message-ID": f"<{delivery.key}>", ORIGIN_HEADER: mail_domain()}
    if delivery.in_reply_to:
        headers["In-Reply-To"] = f"<{delivery.in_reply_to}>"
    if delivery.references:
        headers["References"] = " ".join(f"<{r}>" for r in delivery.references.split())
    if delivery.kind != Delivery.Kind.REPLY:
        headers["Auto-Submitted"] = "auto-replied"  # RFC 3834: machines should not answer
    if delivery.ticket is not None:
        headers["X-Kefu-Ticket"] = delivery.ticket.number
    mail = EmailMultiAlternatives(
        subject=delivery.subject,
        body=delivery.text,
        from_email=delivery.from_address,
        to=delivery.to,
        headers=headers,
    )
    if delivery.html:
        mail.attach_alternative(delivery.html, "text/html")
    return mail


class MailSender:
    """The outbox adapter for mail: one SMTP connection for the worker's whole batch."""

    def __init__(self) -> None:
        self.connection = get_connection()

    def send(self, delivery: Delivery) -> None:
        self.connection.send_messages([as_django_mail(delivery)])

    def sent(self, delivery: Delivery) -> None:
        pass

    def failed(self, delivery: Delivery, now: datetime, dead: bool) -> None:
        """Mail about a ticket that cannot be delivered shows on the ticket."""
        if delivery.ticket is None:
            return
        record_event(
            delivery.ticket,
            SYSTEM,
            EventKind.DELIVERY_FAILED,
            data={"to": delivery.to, "attempt": delivery.attempts, "dead": dead,
                  "error": delivery.last_error},
        )  # fmt: skip

    def close(self) -> None:
        self.connection.close()
