"""The portal form and the REST API as channels: people who wait for the answer.

They hand the pipeline an ``InboundMessage`` like every other channel; their errors (403, 404,
422) come straight back to them, and a message the pipeline could not take is kept in quarantine
and reported as such.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kefu.accounts.access import Viewer
from kefu.accounts.models import Organization, User
from kefu.errors import KefuError
from kefu.intake.base import InboundAttachment, InboundMessage, TicketFields
from kefu.intake.ingest import IngestResult, ingest
from kefu.intake.models import Outcome
from kefu.tickets.models import Ticket


class Quarantined(KefuError):
    status = 503
    code = "quarantined"


def _checked(result: IngestResult) -> IngestResult:
    if result.outcome == Outcome.QUARANTINED:
        raise Quarantined(
            _("Your message could not be processed right now. It was kept and will be handled.")
        )
    return result


@dataclass(frozen=True)
class NewContact:
    """Someone an agent files for who is not known yet: the pipeline makes them a contact, as it
    does an unknown sender (``intake.identity``). No email: their number stands in for one."""

    email: str
    name: str = ""
    phone: str = ""


def _acting(viewer: Viewer, requester: User | NewContact) -> Viewer | None:
    """Staff filing or answering for a customer act in their own name."""
    return viewer if viewer.user is not None and viewer.user != requester else None


def open_ticket(
    *,
    channel: str,
    viewer: Viewer,
    requester: User | NewContact,
    organization: Organization | None,
    subject: str,
    body: str,
    fields: TicketFields,
    attachments: Sequence[tuple[str, bytes]] = (),
    idempotency_key: str = "",
) -> IngestResult:
    message = InboundMessage(
        channel=channel,
        external_id=idempotency_key or uuid.uuid4().hex,
        id_made_here=not idempotency_key,
        text=body,
        subject=subject,
        sender_address=requester.email,
        sender_name=requester.name,
        sender_phone=requester.phone,
        user=requester if isinstance(requester, User) else None,
        acting=_acting(viewer, requester),
        organization=organization,
        fields=fields,
        attachments=[InboundAttachment(name, data) for name, data in attachments],
    )
    return _checked(ingest(message))


def reply(
    *,
    channel: str,
    viewer: Viewer,
    ticket: Ticket,
    body: str,
    attachments: Sequence[tuple[str, bytes]] = (),
    idempotency_key: str = "",
) -> IngestResult:
    assert viewer.user is not None
    message = InboundMessage(
        channel=channel,
        external_id=idempotency_key or uuid.uuid4().hex,
        id_made_here=not idempotency_key,
        text=body,
        sender_address=viewer.user.email,
        user=viewer.user,
        ticket_number=ticket.number,
        attachments=[InboundAttachment(name, data) for name, data in attachments],
    )
    return _checked(ingest(message))
