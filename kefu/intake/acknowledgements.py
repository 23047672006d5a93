"""What the pipeline sends back once a message has landed (queued; sent after commit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kefu.delivery.email import mail_ticket
from kefu.delivery.models import Delivery
from kefu.intake.models import Outcome
from kefu.tickets.models import Channel

if TYPE_CHECKING:
    from kefu.intake.base import InboundMessage
    from kefu.intake.ingest import IngestResult


def queue_for(message: InboundMessage, result: IngestResult) -> None:
    """Email senders get a receipt with their ticket number and the list of refused files.

    Machine mail, mail relayed by lists and our own mail coming back are never answered.
    """
    ticket = result.ticket
    if ticket is None or message.channel != Channel.EMAIL:
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
