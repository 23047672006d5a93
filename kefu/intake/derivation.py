"""What a new ticket's caller does not wait for: its triage, derived by the worker in batches.

A customer's ERP posting tickets, a surge after an outage or a mail storm all meet the create
path first. So a ticket from the portal, the API or email is written "being triaged" (its
number, message, events, sender's burst and search document) and the caller answered; within a
second this sweeper takes the waiting tickets, oldest first, a batch at a time, and in one unit
of work per batch checks their evidence, routes them (``triage.after_create``) and hands their
events to the followers that waited (``kefu.flow``: escalation, SLA clocks, score,
notifications, webhooks, reports). Desk and API show the state meanwhile.

Rows are claimed with ``FOR UPDATE SKIP LOCKED``, so several workers share the waiting tickets.
A batch that fails is retried ticket by ticket; a ticket that fails alone stays waiting, with the
error logged, and is retried on the next turn (nothing is lost).

Switched on by ``KEFU_DERIVE_NEW_TICKETS=batched``. When the worker falls behind (the oldest
waiting ticket waited ``MAX_LAG``), new tickets are derived in their callers' transactions until it
catches up, so the lag stays bounded under any load.

In a batch the followers write set-based, one statement per kind of row for all its tickets:
SLA clocks, triage details and scores, score refresh rows, report marks, surge links; the
self-service visits the contacts may have followed are read once. Per ticket that is about 13
statements in all (the caller's 8–9 and the batch's 4–5) against 17 when the caller derives it
(the peer's corpus, in-process). "inline" (always in the caller's transaction) stays the default
all the same: at saturation the back-pressure has the callers derive most tickets themselves,
and reading a batch back costs about what its set-based writes save (``kefu serve``, 16
connections, five interleaved pairs of 15 s: inline 73–137 creates/s, batched 82–118, no
difference the machine's drift does not swamp). What batching buys is the caller's wait
(unloaded p50 8–18 ms against 13–29).
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Min
from django.utils import timezone

from kefu.jobs.sweepers import Sweeper
from kefu.tickets.models import Attachment, Channel, Follow, Message, Ticket, TicketEvent
from kefu.tickets.work import NewTicket, follow_waited, note_whole, unit_of_work
from kefu.triage import pipeline as triage

log = logging.getLogger("kefu.intake")

# Nobody is on the line of these: chat, WeChat, phone and walk-in tickets are derived at once.
CHANNELS = frozenset({Channel.WEB, Channel.API, Channel.EMAIL})
# Small enough that a batch commits well within a second even when it gets a quarter of a
# busy machine (some 15 ms of work a ticket).
BATCH = 8


class DerivationFailed(Exception):
    """No waiting ticket could be derived this turn (each one's error is logged)."""


# Back-pressure: when the oldest waiting ticket has waited this long, the worker is behind and
# new tickets are derived in their callers' transactions until it catches up. The lag stays
# bounded whatever the load; the check is one indexed read per process every CHECK_EVERY.
# ``bench/api.py --derive batched`` (16 connections, 2 cores), lag p99: 25 a batch and 0.3 s
# here 2.1 s; 8 and 0.3 s 1.9 s; 8 and 0.1 s 0.9 s.
MAX_LAG = timedelta(seconds=0.1)
CHECK_EVERY = 0.05
_behind = {"until": 0.0, "behind": False}
_behind_lock = threading.Lock()


def batched(channel: str) -> bool:
    """Whether a new ticket of this channel is left to the worker's batch."""
    if settings.KEFU_DERIVE_NEW_TICKETS != "batched" or channel not in CHANNELS:
        return False
    return not _worker_behind()


def _worker_behind() -> bool:
    now = time.monotonic()
    with _behind_lock:
        if now < _behind["until"]:
            return bool(_behind["behind"])
        _behind["until"] = now + CHECK_EVERY
    oldest = next_due()
    behind = oldest is not None and timezone.now() - oldest > MAX_LAG
    _behind["behind"] = behind
    return behind


def derive_waiting(now: datetime) -> int:
    """Derive a batch of the tickets being triaged; how many were done."""
    ids = list(
        Ticket.objects.filter(being_triaged=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:BATCH]
    )
    if not ids:
        return 0
    try:
        return _derive(ids)
    except Exception:
        log.exception("triage batch of %d tickets failed; deriving them one by one", len(ids))
    done = 0
    for ticket_id in ids:
        try:
            done += _derive([ticket_id])
        except Exception:
            log.exception("triage of ticket %s failed; it stays waiting", ticket_id)
    if not done:
        raise DerivationFailed(f"none of {len(ids)} waiting tickets could be derived")
    return done


def _derive(ids: list[int]) -> int:
    with unit_of_work():
        tickets = list(
            Ticket.objects.select_for_update(skip_locked=True, of=("self",))
            # The requester's account or agent row says who hears of what (notifications).
            .select_related(
                "category", "team", "organization", "requester__account", "requester__agent"
            )
            .filter(pk__in=ids, being_triaged=True)
            .order_by("pk")
        )
        if not tickets:
            return 0
        Ticket.objects.filter(pk__in=[t.pk for t in tickets]).update(being_triaged=False)
        wholes = _read_whole(tickets)
        for ticket in tickets:
            ticket.being_triaged = False
            # Its events so far go to the followers that waited; what follows adds to the whole.
            follow_waited(ticket, wholes[ticket.pk].ordered_events())
            note_whole(ticket.pk, wholes[ticket.pk])  # readers take it instead of reading back
            triage.after_create(ticket=ticket)
        return len(tickets)


def _read_whole(tickets: list[Ticket]) -> dict[int, NewTicket]:
    """All of each ticket (their rows are locked: nothing more of them commits meanwhile), one
    query per kind of row for the batch."""
    wholes = {ticket.pk: NewTicket() for ticket in tickets}
    for event in TicketEvent.objects.filter(ticket__in=tickets).select_related("actor"):
        wholes[event.ticket_id].events.append(event)
    for message in Message.objects.filter(ticket__in=tickets).select_related("author"):
        wholes[message.ticket_id].messages.append(message)
    for attachment in Attachment.objects.filter(ticket__in=tickets):
        wholes[attachment.ticket_id].attachments.append(attachment)
    for follow in Follow.objects.filter(ticket__in=tickets).select_related("user"):
        wholes[follow.ticket_id].followers.append(follow.user)
    return wholes


def next_due() -> datetime | None:
    """When the oldest waiting ticket was created (None: none waits)."""
    return Ticket.objects.filter(being_triaged=True).aggregate(at=Min("created_at"))["at"]


_wake = threading.Event()


def wake(ticket: Ticket, events: list[TicketEvent]) -> None:
    """A ticket being triaged committed (``kefu.flow``): a worker in this process looks now."""
    if ticket.being_triaged:
        _wake.set()


# Other processes' tickets are seen within ``max_sleep``.
SWEEPER = Sweeper(
    name="triage-batches", run=derive_waiting, next_due=next_due, max_sleep=0.2, wake=_wake
)
