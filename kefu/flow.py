"""What follows a ticket change, in order. Read this file to know what a change sets off.

Every change to a ticket is recorded as a ``TicketEvent`` by ``tickets.actions`` inside a unit of
work (``tickets.work``). The unit hands its events to the followers below:

* **inside the unit of work**, just before it commits, in the order listed, each follower gets
  the ticket and the events of the kinds it declares (never one it does not). Followers keep the
  ticket consistent (routing, escalation, SLA clocks, the queue score) and write the outbox rows
  of everything that leaves Kefu (mail, chat replies, notifications, webhooks), so a change and
  what it owes the outside world commit together or not at all. A follower may change the ticket
  again; the events that makes are followed in a next round.
* **a new ticket being triaged** (``Ticket.being_triaged``: filed through the portal, the API or
  email, its caller answered as soon as it is written) is followed at once only by the followers
  marked ``while_triaging``; the worker hands its events to all the others a moment later, in a
  batch with other new tickets (``kefu.intake.derivation``).
* **after commit**, once per changed ticket with the unit's events of the kinds it declares: work
  that must not run
  before the change is visible to others, or at all if it rolled back — cache forgetting, live
  push to open pages, waking the delivery worker. A lost live push loses nothing: pages re-read
  what changed, through their own access checks.

The worker (``kefu.delivery.outbox``) delivers the outbox rows after commit, with retries.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kefu.appointments import followers as appointments
from kefu.delivery import live, outbox, replies
from kefu.escalation import followers as escalation
from kefu.intake import derivation
from kefu.intake.wechat import followers as wechat
from kefu.knowledge import followers as knowledge
from kefu.notifications import followers as notifications
from kefu.ratings import followers as ratings
from kefu.reports import rollup as reports
from kefu.search import followers as search
from kefu.sla import followers as sla
from kefu.tickets import queries as tickets
from kefu.tickets.models import EventKind as E
from kefu.tickets.work import created_here
from kefu.triage import followers as triage
from kefu.webhooks import followers as webhooks

if TYPE_CHECKING:
    from kefu.tickets.models import Ticket, TicketEvent

log = logging.getLogger("kefu.flow")
ALL = frozenset(E)
Run = Callable[["Ticket", list["TicketEvent"]], object]


@dataclass(frozen=True)
class Follower:
    name: str
    kinds: frozenset[E]  # it sees the events of these kinds, and runs only when there are some
    run: Run
    # Follows a new ticket at once, while the rest waits for the worker's triage batch.
    while_triaging: bool = False


INSIDE: tuple[Follower, ...] = (
    # Keep the ticket consistent.
    Follower("learn from recategorisations", frozenset({E.CATEGORY}), triage.learn_category),
    Follower("route out of “needs triage”", frozenset({E.CATEGORY}), triage.route_out_of_triage),
    Follower("evidence waived or completed", frozenset({E.STATUS, E.ATTACHMENT}), triage.evidence),
    Follower("escalation", escalation.KINDS, escalation.follow),
    Follower("SLA clocks", sla.CLOCK_EVENTS, sla.rebuild_clocks),
    Follower("queue score", triage.SCORE_EVENTS, triage.rescore),
    # Offline visits: a 【线下服务预约】 request opens its booking (a refused slot is mailed).
    Follower("booking from a request", appointments.KINDS, appointments.booking_from_request),
    # Tell the outside world (outbox rows, delivered after commit).
    Follower("reply through the ticket's channel", frozenset({E.REPLY}), replies.follow),
    Follower("reply to WeChat followers", frozenset({E.REPLY}), wechat.reply_through_wechat),
    Follower("notify people", notifications.KINDS, notifications.follow),
    Follower("resolution window and its mail", ratings.KINDS, ratings.follow),
    Follower("webhooks", webhooks.KINDS, webhooks.follow),
    # Keep the reports current: the worker recomputes the ticket's fact; reading followed by a
    # ticket or a handoff was not deflected.
    Follower(
        "self-service followed by a contact", knowledge.CONTACT_EVENTS, knowledge.record_contact
    ),
    Follower("mark the report fact stale", ALL, reports.mark_dirty),
    # Keep the search index current: a ticket is findable by what it says once this commits.
    Follower("search index", search.KINDS, search.reindex, while_triaging=True),
)

AFTER_COMMIT: tuple[Follower, ...] = (
    Follower("forget list counts", ALL, tickets.forget_counts),
    Follower("push replies to open chats", frozenset({E.REPLY}), replies.push_to_chat),
    Follower("live push to open pages", ALL, live.push_ticket_change),
    Follower("wake the delivery worker", ALL, outbox.wake),
    Follower("wake the triage batch", frozenset({E.CREATED}), derivation.wake),
)


def follow_inside(
    ticket: Ticket, events: list[TicketEvent], *, waited: list[TicketEvent] | None = None
) -> None:
    """``waited``: earlier events of a ticket that was being triaged, which only the followers
    marked ``while_triaging`` have followed."""
    if ticket.being_triaged and created_here(ticket.pk) is None:
        # Read before the worker's batch committed, perhaps: ask again, holding the row.
        ticket.being_triaged = tickets.still_being_triaged(ticket.pk)
    for follower in INSIDE:
        if follower.while_triaging or not ticket.being_triaged:
            both = events if follower.while_triaging else [*(waited or ()), *events]
            mine = [event for event in both if event.kind in follower.kinds]
            if mine:
                follower.run(ticket, mine)


def follow_after_commit(ticket: Ticket, events: list[TicketEvent]) -> None:
    """The change is committed: a failure here is logged, never the caller's error."""
    for follower in AFTER_COMMIT:
        mine = [event for event in events if event.kind in follower.kinds]
        if mine:
            try:
                follower.run(ticket, mine)
            except Exception:
                log.exception("after-commit follower %r failed for %s", follower.name, ticket.pk)
