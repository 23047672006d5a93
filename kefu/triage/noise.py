"""Duplicates, floods and empty messages (the charter: "repeated identical messages are flagged
and floods lower priority; emoji-only messages ask for details").

- A near-identical message from the same sender within the window joins their open ticket;
  the ticket gets the ``duplicate`` tag and one ``duplicate`` event per repeat, and each repeat
  lowers its score (``score.DUPLICATE_POINTS``).
- A burst of messages from one sender (``score.FLOOD_THRESHOLD`` within the window, counted on
  the intake records) tags the ticket ``flood``, records a ``flood`` event once, and lowers it.
  A new ticket is written with them (no second write of its row); a reply adds them.
- A new message without details gets a request for them instead of a ticket.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from kefu.accounts.access import SYSTEM
from kefu.delivery.email import queue_email
from kefu.delivery.models import Delivery
from kefu.errors import Invalid
from kefu.intake.identity import opened_by_proven_sender
from kefu.intake.models import InboundRecord, Mailbox
from kefu.tickets import actions
from kefu.tickets.models import OPEN_STATUSES, EventKind, Message, Ticket
from kefu.triage import config
from kefu.triage.dedupe import is_repeat, similarity
from kefu.triage.score import BURST_COUNTED, FLOOD_THRESHOLD

if TYPE_CHECKING:
    from kefu.accounts.models import User
    from kefu.intake.base import InboundMessage
    from kefu.intake.identity import Identity

MAX_CANDIDATES = 20
DUPLICATE_TAG = "duplicate"
FLOOD_TAG = "flood"


def _recent_bodies(
    user: User, since: datetime, ticket: Ticket | None = None
) -> list[tuple[int, str, int]]:
    """(id, body, ticket id) of the user's latest public messages since ``since``: on
    ``ticket``, or on any open one.

    Read by author, newest first (one index walk that stops at the limit, whoever the author
    is): going through the author's open tickets first let PostgreSQL's generic plan scan every
    ticket when one requester owns most of them. The window is applied to the rows read, not
    asked of the database: its estimate of a sender's messages since a moment falls behind as
    they arrive, and at a few rows it read and sorted all of a busy sender's window (1,600 rows
    of an integration posting 3 a second: 2 ms, growing with the rate). Only the bodies and the
    tickets' states are read: building the tickets whole cost more than comparing them."""
    messages = Message.objects.filter(author=user, is_internal=False)
    if ticket is not None:
        messages = messages.filter(ticket=ticket)
    recent = messages.order_by("-created_at", "-id").values_list(
        "id", "created_at", "body", "ticket_id", "ticket__status"
    )[:MAX_CANDIDATES]
    return [
        (pk, body, ticket_id)
        for pk, created_at, body, ticket_id, status in recent
        if created_at >= since and (ticket is not None or status in OPEN_STATUSES)
    ]


def repeated_ticket(user: User, text: str, received_at: datetime) -> Ticket | None:
    """The open ticket of ``user`` holding a message like ``text`` from within the window.

    Tickets opened in ``user``'s name by someone who only claimed their address are skipped:
    that someone would read what joins them."""
    for _pk, body, ticket_id in _recent_bodies(user, received_at - config.duplicate_window()):
        if is_repeat(body, text):
            ticket = Ticket.objects.get(pk=ticket_id)
            if opened_by_proven_sender(ticket):
                return ticket
    return None


def _add_tag(ticket: Ticket, tag: str) -> None:
    if tag not in ticket.tags:
        actions.update_ticket(ticket=ticket, actor=SYSTEM, changes={"tags": [*ticket.tags, tag]})


def note_repeat(ticket: Ticket, message: Message) -> bool:
    """Flag ``message`` if it repeats an earlier one on the ticket; True when it does."""
    assert message.author is not None  # after_message only sees customers' messages
    since = message.created_at - config.duplicate_window()
    earlier = _recent_bodies(message.author, since, ticket)
    original = next(
        (
            (pk, body)
            for pk, body, _ticket_id in earlier
            if pk != message.pk and is_repeat(body, message.body)
        ),
        None,
    )
    if original is None:
        return False
    original_pk, original_body = original
    _add_tag(ticket, DUPLICATE_TAG)
    ratio = round(similarity(original_body, message.body), 1)
    actions.record_event(ticket, SYSTEM, EventKind.DUPLICATE, new=message.pk,
                         data={"of": original_pk, "similarity": ratio})  # fmt: skip
    duplicates = int((ticket.triage or {}).get("duplicates", 0)) + 1
    actions.store_triage(ticket=ticket, details={"duplicates": duplicates})
    return True


def burst_size(inbound: InboundMessage) -> int:
    """Messages from this sender within the window up to this one, this one included (intake
    records; later ones do not count when the worker's triage batch reads them afterwards),
    counted up to ``BURST_COUNTED``: an integration posting 3 a second had 1,600 in its window,
    2 ms of the database's time on each of them."""
    if not inbound.sender_address:
        return 1
    since = inbound.received_at - config.duplicate_window()
    recorded = InboundRecord.objects.filter(
        sender=inbound.sender_address[:255],
        received_at__gte=since,
        received_at__lte=inbound.received_at,
    )[:BURST_COUNTED].count()
    # A message whose id was made here is recorded when it is done (``ingest._finish``).
    return min(recorded + 1, BURST_COUNTED) if inbound.id_made_here else recorded


def flood_noted(burst: int) -> actions.Noted | None:
    """The ``flood`` event of a burst that reached ``FLOOD_THRESHOLD`` (None below it)."""
    if burst < FLOOD_THRESHOLD:
        return None
    window = config.duplicate_window().total_seconds()
    return actions.Noted(EventKind.FLOOD, burst, {"window_seconds": window})


def note_burst(ticket: Ticket, inbound: InboundMessage) -> int:
    """Record the sender's current burst on an existing ticket; tag and note a flood once (a new
    ticket carries its burst from the opening: ``pipeline.with_burst``)."""
    burst = burst_size(inbound)
    known = int((ticket.triage or {}).get("burst", 0))
    flood = flood_noted(burst)
    if flood is not None and FLOOD_TAG not in ticket.tags:
        _add_tag(ticket, FLOOD_TAG)
        actions.record_event(ticket, SYSTEM, flood.kind, new=flood.new, data=flood.data)
    if burst > known:
        actions.store_triage(ticket=ticket, details={"burst": burst})
    return burst


NO_DETAILS = _(
    "Please describe your problem in a sentence or two (what happened, the order number or "
    "error code). A message with only emoji or a greeting cannot be turned into a ticket."
)


def request_details(message: InboundMessage, identity: Identity) -> str:
    """Ask the sender for details: an error for a person waiting, a reply mail for email."""
    if message.interactive:
        raise Invalid(NO_DETAILS, field="body")
    if message.channel == "email" and not (message.suppress_ack or message.auto_kind):
        _mail_details_request(message, identity)
    return "no details: asked the sender to describe the problem"


def _mail_details_request(message: InboundMessage, identity: Identity) -> None:
    mailbox = Mailbox.objects.filter(code=message.mailbox).first() if message.mailbox else None
    context = {"zh_first": identity.user.lang == "zh", "subject": message.subject}
    queue_email(
        to=[message.sender_address],
        subject=render_to_string("email/details_request_subject.txt", context).strip(),
        text=render_to_string("email/details_request.txt", context),
        html=render_to_string("email/details_request.html", context),
        kind=Delivery.Kind.NOTIFICATION,
        in_reply_to=message.external_id if "@" in message.external_id else "",
        references=[message.external_id] if "@" in message.external_id else [],
        from_address=mailbox.address if mailbox else "",
    )
