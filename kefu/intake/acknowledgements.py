"""What the pipeline sends back once a message has landed (queued; sent after commit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kefu.delivery.email import mail_ticket, mailable
from kefu.delivery.models import Delivery
from kefu.intake.models import Outcome
from kefu.tickets.models import Channel

if TYPE_CHECKING:
    from kefu.intake.base import InboundMessage
    from kefu.intake.ingest import IngestResult


def _phone_caller_known(message: InboundMessage) -> bool:
    """A call's ticket number also goes by mail to a caller verified by a registered number
    (read out on the call too); a number alone gives no address to write to."""
    return bool(message.sender_proof) and mailable(message.sender_address)


def _acknowledged(message: InboundMessage) -> bool:
    """Mail senders, verified callers, and customers an agent opened a ticket for (whatever the
    channel: they learn its number and can follow it) are sent the receipt."""
    if message.acting is not None and message.acting.is_agent:
        return mailable(message.sender_address)
    if message.channel == Channel.PHONE:
        return _phone_caller_known(message)
    return message.channel == Channel.EMAIL


def queue_for(message: InboundMessage, result: IngestResult) -> None:
    """Email senders, verified callers and customers an agent filed for get a receipt with their
    ticket number (and, for mail, the list of refused files).

    Machine mail, mail relayed by lists and our own mail coming back are never answered.
    """
    ticket = result.ticket
    if ticket is None or not _acknowledged(message):
        return
    if message.auto_kind or message.suppress_ack or message.from_us:
        return
    if result.outcome == Outcome.TICKET or result.refused_files:
        mail_ticket(
            ticket,
            template="acknowledgement",
            kind=Delivery.Kind.ACKNOWLEDGEMENT,
            context={
                "new": result.outcome == Outcome.TICKET,
                "refused": result.refused_files,
                "masked": result.masked,
            },
            to=[message.sender_address],
        )
