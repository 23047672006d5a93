"""Mail about a ticket, written in the customer's language: acknowledgements, replies, notices.

Subjects carry ``[KF…]`` and every mail carries Message-ID / In-Reply-To / References, so the
customer's answer threads back to the ticket whichever way their mail client replies.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.template.loader import render_to_string
from django.utils import translation

from kefu.intake.email.outbox import queue_email
from kefu.intake.models import InboundRecord, Mailbox, OutboundEmail
from kefu.lib.process_cache import ProcessCache
from kefu.tickets.models import Channel, Message, Ticket

MAX_REFERENCES = 20


def django_language(ticket_language: str) -> str:
    return "zh-hans" if ticket_language.startswith("zh") else "en"


def thread_ids(ticket: Ticket) -> list[str]:
    """Message-IDs of the ticket's mail so far, oldest first (inbound and outbound)."""
    inbound = InboundRecord.objects.filter(ticket=ticket, channel=Channel.EMAIL).values_list(
        "received_at", "external_id"
    )
    outbound = OutboundEmail.objects.filter(ticket=ticket).values_list("created_at", "message_id")
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
    context: dict,
    to: Sequence[str] | None = None,
    message: Message | None = None,
) -> OutboundEmail:
    """Render ``email/<template>.txt|.html`` in the ticket's language and queue it."""
    references = thread_ids(ticket)
    with translation.override(django_language(ticket.language)):
        full = {"ticket": ticket, **context}
        text = render_to_string(f"email/{template}.txt", full)
        html = render_to_string(f"email/{template}.html", full)
        subject = render_to_string("email/subject.txt", full).strip()
    return queue_email(
        to=list(to or [ticket.requester.email]),
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
