"""The only code that writes tickets, messages, attachments and their events.

Every function is keyword-only, checks the actor's right to act, runs in a unit of work
(``tickets.work``) and writes a ``TicketEvent`` for each change. What follows a change — clocks,
escalation, the score, mail, notifications, webhooks, live pages — is listed in ``kefu.flow``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import wraps
from typing import Any, NamedTuple, ParamSpec

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.access import Viewer, may_create_ticket
from kefu.accounts.models import Agent, Organization, Team, User
from kefu.errors import Forbidden, Invalid, InvalidTransition
from kefu.tickets.lifecycle import allowed_transitions, is_reopen
from kefu.tickets.models import (
    Attachment,
    Category,
    EventKind,
    Follow,
    Message,
    Priority,
    Relation,
    SavedView,
    Status,
    Ticket,
    TicketEvent,
)
from kefu.tickets.numbering import next_ticket_number
from kefu.tickets.queries import (
    FILTER_NAMES,
    may_share_with,
    merge_differences,
    next_ticket_candidates,
)
from kefu.tickets.uploads import validate_attachment
from kefu.tickets.work import (
    atomic_unit,
    before_commit_together,
    created_here,
    forget_created,
    note_created,
    recorded,
    unit_of_work,
)
from kefu.triage.phishing import Secret, requested_secret

P = ParamSpec("P")


class Noted(NamedTuple):
    """An event of something noticed before the ticket existed (triage's flood), recorded with
    the ticket's opening in the same INSERT."""

    kind: EventKind
    new: Any = None
    data: dict[str, Any] | None = None


# What a status change writes (see _set_status).
STATUS_FIELDS = ["status", "resolved_at", "closed_at"]

# Fields an agent may change with ``update_ticket`` besides status (which has its own rules).
EDITABLE_FIELDS = (
    "priority",
    "category",
    "assignee",
    "team",
    "tags",
    "complexity",
    "order_id",
    "shipment_code",
    "error_code",
    "is_emergency",
    "is_complaint",
)


@atomic_unit
def record_event(
    ticket: Ticket,
    actor: Viewer,
    kind: EventKind,
    *,
    field: str = "",
    old: Any = None,
    new: Any = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> TicketEvent:
    event = TicketEvent(ticket=ticket, actor=actor.user, kind=kind, field=field, old=old,
                        new=new, data=data or {}, created_at=at or timezone.now())  # fmt: skip
    _save_events(ticket, [event])
    return event


def _save_events(ticket: Ticket, events: list[TicketEvent]) -> None:
    """One INSERT for the events, which ``kefu.flow`` follows before the unit commits."""
    _save_events_of([(ticket, events)])


def _save_events_of(changes: list[tuple[Ticket, list[TicketEvent]]]) -> None:
    """One INSERT for the events of one or many tickets."""
    events = [event for _ticket, mine in changes for event in mine]
    if len(events) == 1:
        events[0].save()
    else:
        TicketEvent.objects.bulk_create(events)
    for ticket, mine in changes:
        if (new_ticket := created_here(ticket.pk)) is not None:
            new_ticket.events.extend(mine)
        for event in mine:
            recorded(ticket, event)


def _author_role(actor: Viewer) -> str:
    if actor.is_agent:
        return Message.AuthorRole.AGENT
    if actor.bot:
        return Message.AuthorRole.BOT
    if actor.system and actor.user is None:
        return Message.AuthorRole.SYSTEM
    return Message.AuthorRole.CUSTOMER


@atomic_unit
def open_ticket(
    *,
    actor: Viewer,
    requester: User,
    organization: Organization | None,
    subject: str,
    body: str,
    channel: str,
    category: Category | None = None,
    priority: str = Priority.NORMAL,
    language: str = "zh",
    tags: Iterable[str] = (),
    customer_tags: Iterable[str] = (),
    urgent_requested: bool = False,
    order_id: str = "",
    order_value: Decimal | None = None,
    shipment_code: str = "",
    error_code: str = "",
    desired_outcome: str = "",
    expected_by: date | None = None,
    mailbox: str = "",
    is_verified: bool = True,
    is_complaint: bool = False,
    is_emergency: bool = False,
    team: Team | None = None,
    html: str = "",
    body_full: str = "",
    created_at: datetime | None = None,
    related_to: Ticket | None = None,
    relation: str = "",
    triage: dict[str, Any] | None = None,
    being_triaged: bool = False,
    noted: Iterable[Noted] = (),
) -> tuple[Ticket, Message]:
    """Open a ticket with its first message; ``created_at`` backdates imported tickets;
    ``being_triaged`` leaves most of what follows to the worker (``kefu.flow``); ``noted``
    events follow the opening's own."""
    if not may_create_ticket(actor, category.code if category else None):
        raise Forbidden(_("You may not create this kind of ticket."), field="category")
    now = created_at or timezone.now()
    ticket = Ticket(
        requester=requester,
        organization=organization,
        subject=subject.strip()[:255],
        channel=channel,
        category=category,
        priority=priority,
        language=language,
        tags=sorted(set(tags)),
        customer_tags=sorted(set(customer_tags)),
        urgent_requested=urgent_requested,
        order_id=order_id,
        order_value=order_value,
        shipment_code=shipment_code,
        error_code=error_code,
        desired_outcome=desired_outcome,
        expected_by=expected_by,
        mailbox=mailbox,
        is_verified=is_verified,
        is_complaint=is_complaint,
        is_emergency=is_emergency,
        team=team or (category.team if category else None),
        related_to=related_to,
        relation=relation,
        triage=triage or {},
        being_triaged=being_triaged,
        created_at=now,
        updated_at=now,
        last_public_at=now,
    )
    # Last step before the insert: the day's counter row stays locked until commit.
    ticket.number = next_ticket_number(now)
    ticket.save()
    note_created(ticket.pk)
    # The first message is the requester's own words, whoever (or whichever channel) filed it.
    author = Viewer(user=requester) if actor.system else actor
    opening = _write_message(
        ticket, author, body=body, internal=False, html=html, body_full=body_full, at=now
    )
    created = TicketEvent(ticket=ticket, actor=actor.user, kind=EventKind.CREATED,
                          new=ticket.number, data={"channel": channel}, created_at=now)  # fmt: skip
    also = [TicketEvent(ticket=ticket, actor=None, kind=note.kind, new=note.new,
                        data=note.data or {}, created_at=now) for note in noted]  # fmt: skip
    _save_events(ticket, [created, _message_event(ticket, author, opening), *also])
    return ticket, opening


def _ticket_only(
    open_ticket: Callable[P, tuple[Ticket, Message]],
) -> Callable[P, Ticket]:
    @wraps(open_ticket)
    def create_ticket(*args: P.args, **kwargs: P.kwargs) -> Ticket:
        return open_ticket(*args, **kwargs)[0]

    return create_ticket


# ``open_ticket`` for callers that need only the ticket.
create_ticket = _ticket_only(open_ticket)


def _write_message(
    ticket: Ticket,
    actor: Viewer,
    *,
    body: str,
    internal: bool,
    html: str,
    body_full: str,
    at: datetime | None = None,
) -> Message:
    message = Message.objects.create(
        ticket=ticket,
        author=actor.user,
        author_role=_author_role(actor),
        is_internal=internal,
        channel=ticket.channel,
        body=body,
        html=html,
        body_full=body_full,
        created_at=at or timezone.now(),
    )
    if (new_ticket := created_here(ticket.pk)) is not None:
        new_ticket.messages.append(message)
    return message


def _message_event(ticket: Ticket, actor: Viewer, message: Message) -> TicketEvent:
    kind = EventKind.NOTE if message.is_internal else EventKind.REPLY
    role = {"role": message.author_role}
    return TicketEvent(ticket=ticket, actor=actor.user, kind=kind, new=message.pk, data=role,
                       created_at=message.created_at)  # fmt: skip


@atomic_unit
def add_message(
    *,
    ticket: Ticket,
    actor: Viewer,
    body: str,
    internal: bool = False,
    html: str = "",
    body_full: str = "",
    status: str | None = None,
) -> Message:
    """Reply or note; ``status``: where the ticket goes with it, by ``change_status``'s rules
    ("submit as pending"), in the same write of the ticket and INSERT of its events."""
    if internal and not actor.is_agent and not actor.system:
        raise Forbidden(_("Only support staff can write internal notes."), field="internal")
    if not internal and actor.is_agent and not actor.may_edit_tickets:
        raise Forbidden(_("Your role may add internal notes only."), field="internal")
    if ticket.status == Status.CLOSED and not internal:
        raise InvalidTransition(
            _("This ticket is closed. Please open a new ticket that refers to it."),
            field="status",
        )
    if not internal and actor.is_agent:
        _refuse_secret_requests(body)
    message = _write_message(
        ticket, actor, body=body, internal=internal, html=html, body_full=body_full
    )
    events = [_message_event(ticket, actor, message)]
    now = message.created_at
    ticket.updated_at = now
    if not internal:
        ticket.last_public_at = now
        if actor.is_agent:
            events += _on_agent_reply(ticket, actor, now)
        elif not actor.system:  # the bot's and the system's notes move nothing
            events += _on_customer_reply(ticket, actor)
    if status is not None and status != ticket.status:
        _check_transition(ticket, actor, status)
        events.append(_set_status(ticket, actor, status))
    _save_events(ticket, events)
    ticket.save(update_fields=["updated_at", "last_public_at", "first_response_at", *STATUS_FIELDS])
    return message


SECRET_NAMES = {
    Secret.PASSWORD: _("a password"),
    Secret.VERIFICATION_CODE: _("a verification code"),
    Secret.CARD_NUMBER: _("a full card number"),
}


def _refuse_secret_requests(body: str) -> None:
    """The charter: support never asks for passwords, verification codes or card numbers, so a
    public reply that does is blocked (internal notes are not checked)."""
    secret = requested_secret(body)
    if secret is not None:
        raise Invalid(
            _(
                "Support never asks for passwords, verification codes or full card numbers. "
                "This reply asks for %(what)s: remove that request before sending."
            )
            % {"what": SECRET_NAMES[secret]},
            field="body",
        )


def _on_agent_reply(ticket: Ticket, actor: Viewer, now: Any) -> list[TicketEvent]:
    if ticket.first_response_at is None:
        ticket.first_response_at = now
    return [_set_status(ticket, actor, Status.OPEN)] if ticket.status == Status.NEW else []


def _on_customer_reply(ticket: Ticket, actor: Viewer) -> list[TicketEvent]:
    # The customer's answer puts the ball back in support's court; on a resolved
    # ticket it means "not solved" and reopens it.
    if ticket.status in (Status.PENDING_CUSTOMER, Status.ON_HOLD, Status.RESOLVED):
        return [_set_status(ticket, actor, Status.OPEN)]
    return []


def _set_status(ticket: Ticket, actor: Viewer, new: str) -> TicketEvent:
    """Move ``ticket`` to ``new`` (unsaved); the event that says so, for the caller to save."""
    old = ticket.status
    ticket.status = new
    now = timezone.now()
    if new == Status.RESOLVED:
        ticket.resolved_at = now
    elif new == Status.CLOSED:
        ticket.closed_at = now
    elif is_reopen(old, new):
        ticket.resolved_at = None
    kind = EventKind.REOPENED if is_reopen(old, new) else EventKind.STATUS
    return TicketEvent(ticket=ticket, actor=actor.user, kind=kind, field="status", old=old,
                       new=new, data={}, created_at=now)  # fmt: skip


def _check_transition(ticket: Ticket, actor: Viewer, status: str) -> None:
    customer = not (actor.is_agent or actor.system)
    if not customer and not actor.may_edit_tickets:
        raise Forbidden(_("Your role may not change tickets."), field="status")
    if status not in allowed_transitions(ticket.status, customer=customer):
        raise InvalidTransition(
            _("A ticket cannot go from “%(old)s” to “%(new)s”.")
            % {"old": Status(ticket.status).label, "new": _status_label(status)},
            field="status",
        )


@atomic_unit
def change_status(*, ticket: Ticket, actor: Viewer, status: str) -> Ticket:
    if status == ticket.status:
        return ticket
    _check_transition(ticket, actor, status)
    _save_events(ticket, [_set_status(ticket, actor, status)])
    ticket.updated_at = timezone.now()
    ticket.save(update_fields=["updated_at", *STATUS_FIELDS])
    return ticket


def _status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value


def _event_value(value: Any) -> Any:
    """How a field value is written into the audit trail: codes, not database ids."""
    if isinstance(value, Agent | Team | Category):
        return value.code
    if isinstance(value, Decimal):
        return str(value)
    return value


@atomic_unit
def update_ticket(*, ticket: Ticket, actor: Viewer, changes: Mapping[str, Any]) -> Ticket:
    """Apply an agent's edits; ``status`` goes through the lifecycle rules."""
    unknown = set(changes) - {"status", *EDITABLE_FIELDS}
    if unknown:
        raise Invalid(_("This field cannot be changed."), field=sorted(unknown)[0])
    edits = {f: v for f, v in changes.items() if f != "status"}
    if edits and not actor.may_edit_tickets:
        raise Forbidden(_("Your role may not change tickets."), field=next(iter(edits)))
    changed = []
    for field, value in edits.items():
        old = getattr(ticket, field)
        if field == "tags":
            value = sorted(set(value))
        if old == value:
            continue
        setattr(ticket, field, value)
        changed.append(field)
        record_event(
            ticket,
            actor,
            EventKind.of_field(field),
            field=field,
            old=_event_value(old),
            new=_event_value(value),
        )
    if changed:
        ticket.updated_at = timezone.now()
        ticket.save(update_fields=["updated_at", *changed])
    if "status" in changes:
        change_status(ticket=ticket, actor=actor, status=changes["status"])
    return ticket


@atomic_unit
def attach_file(
    *,
    ticket: Ticket,
    actor: Viewer,
    filename: str,
    data: bytes,
    message: Message | None = None,
) -> Attachment:
    if ticket.status == Status.CLOSED:
        raise InvalidTransition(_("This ticket is closed."), field="status")
    verdict = validate_attachment(filename, data)
    digest = hashlib.sha256(data).hexdigest()
    attachment = Attachment(
        ticket=ticket,
        message=message,
        filename=filename[:255] or f"file.{verdict.kind}",
        content_type=verdict.mime_type,
        size=len(data),
        sha256=digest,
        uploaded_by=actor.user,
    )
    path = f"attachments/{digest[:2]}/{digest}"
    if default_storage.exists(path):
        attachment.file.name = path
    else:
        attachment.file.save(digest, ContentFile(data), save=False)
    attachment.save()
    if (new_ticket := created_here(ticket.pk)) is not None:
        new_ticket.attachments.append(attachment)
    record_event(
        ticket, actor, EventKind.ATTACHMENT, new=attachment.filename, data={"id": attachment.pk}
    )
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=timezone.now())
    return attachment


@atomic_unit
def raise_score(*, ticket: Ticket, actor: Viewer, by: float, reason: str) -> Ticket:
    """Move a ticket up the queue (e.g. the customer nudged it), recording why."""
    old = ticket.score
    ticket.score = old + by
    Ticket.objects.filter(pk=ticket.pk).update(score=ticket.score)
    # Last, so that whoever recomputes the score on this event has the final word.
    record_event(ticket, actor, EventKind.SCORE, field="score", old=old, new=ticket.score,
                 data={"reason": reason})  # fmt: skip
    return ticket


@atomic_unit
def link_tickets(
    *, tickets: list[Ticket], actor: Viewer, related_to: Ticket, relation: str
) -> None:
    """Relate ``tickets`` to another one, e.g. a surge's members to its incident: one UPDATE and
    one INSERT of their events for all of them."""
    if relation not in Relation.values or any(t.pk == related_to.pk for t in tickets):
        raise Invalid(_("This relation is not valid."), field="relation")
    now, changes = timezone.now(), []
    for ticket in tickets:
        old = ticket.related_to.number if ticket.related_to_id and ticket.related_to else None
        ticket.related_to, ticket.relation = related_to, relation
        event = TicketEvent(ticket=ticket, actor=actor.user, kind=EventKind.RELATED_TO,
                            field="related_to", old=old, new=related_to.number,
                            data={"relation": relation}, created_at=now)  # fmt: skip
        changes.append((ticket, [event]))
    Ticket.objects.filter(pk__in=[t.pk for t in tickets]).update(
        related_to=related_to, relation=relation
    )
    _save_events_of(changes)


@atomic_unit
def store_triage(*, ticket: Ticket, details: Mapping[str, Any], score: float | None = None) -> None:
    """Merge triage explanations (and the score) into the ticket. No event: they explain the
    ticket's place in the queue, they do not change the ticket.

    Within a unit of work the merges accumulate and are written once, at its end."""
    ticket.triage = {**(ticket.triage or {}), **details}
    if score is not None:
        ticket.score = score
    change = (dict(details), score)
    before_commit_together("triage-write", ticket.pk, change, _write_triages, _merged)


TriageMerge = tuple[dict[str, Any], float | None]


def _merged(earlier: TriageMerge, later: TriageMerge) -> TriageMerge:
    return {**earlier[0], **later[0]}, earlier[1] if later[1] is None else later[1]


def _write_triages(merges: dict[int, TriageMerge]) -> None:
    """Merge each ticket's details (and set its score, when given) under the row's lock, so
    concurrent merges of different keys both survive. PostgreSQL merges in the UPDATE itself
    (jsonb ``||``), all the tickets in one statement (the worker's triage batch has many);
    SQLite reads each row locked first."""
    ids = sorted(merges)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Ticket._meta.db_table} AS t SET triage = t.triage || m.details, "
                "score = COALESCE(m.score, t.score) FROM unnest(%s::bigint[], %s::jsonb[], "
                "%s::float8[]) AS m(id, details, score) WHERE t.id = m.id",
                [ids, [json.dumps(merges[i][0]) for i in ids], [merges[i][1] for i in ids]],
            )
        return
    for ticket_id in ids:
        details, score = merges[ticket_id]
        current = (
            Ticket.objects.select_for_update()
            .filter(pk=ticket_id)
            .values_list("triage", flat=True)
            .first()
        )
        fields: dict[str, Any] = {"triage": {**(current or {}), **details}}
        if score is not None:
            fields["score"] = score
        Ticket.objects.filter(pk=ticket_id).update(**fields)


def store_scores(*, tickets: Iterable[Ticket]) -> None:
    """Write score and triage of tickets whose rows the caller holds locked (the sweeper)."""
    Ticket.objects.bulk_update(list(tickets), ["score", "triage"], batch_size=500)


NEXT_STATUSES = (Status.NEW, Status.OPEN)
NEXT_CANDIDATES = 20


def take_next_ticket(*, actor: Viewer) -> Ticket | None:
    """Assign the highest-scored unassigned ticket of the agent's teams to them ("next ticket").

    The claim is a conditional UPDATE (``… WHERE assignee IS NULL``) in its own transaction:
    when two agents press at once, each gets a different ticket, never the same one.
    """
    if actor.agent is None or not actor.may_edit_tickets:
        raise Forbidden(_("Your role may not take tickets."), field="assignee")
    for _round in range(3):  # candidates taken by others meanwhile: look again
        candidates = next_ticket_candidates(actor, NEXT_CANDIDATES)
        if not candidates:
            return None
        for pk in candidates:
            with unit_of_work():
                now = timezone.now()
                claimed = Ticket.objects.filter(
                    pk=pk, assignee__isnull=True, status__in=NEXT_STATUSES
                ).update(assignee=actor.agent, updated_at=now)
                if claimed:
                    ticket = Ticket.objects.get(pk=pk)
                    record_event(ticket, actor, EventKind.ASSIGNEE, field="assignee", old=None,
                                 new=actor.agent.code, data={"via": "next"}, at=now)  # fmt: skip
                    return ticket
    return None


def _check_may_restructure(actor: Viewer, *tickets: Ticket) -> None:
    if not (actor.is_agent or actor.system) or not actor.may_edit_tickets:
        raise Forbidden(_("Your role may not change tickets."), field="ticket")
    if any(t.status == Status.CLOSED for t in tickets):
        raise InvalidTransition(_("Closed tickets cannot be merged or split."), field="status")


@atomic_unit
def merge_tickets(
    *, source: Ticket, target: Ticket, actor: Viewer, confirmed: bool = False
) -> Ticket:
    """Fold ``source`` into ``target``: its messages and files move over, it is closed and
    points at ``target`` (mail answering it then lands on ``target``). Events on both.

    Tickets of different organisations are never merged; different requesters or order ids
    of one organisation only when the agent ``confirmed`` after comparing them."""
    _check_may_restructure(actor, source, target)
    if source.pk == target.pk:
        raise Invalid(_("A ticket cannot be merged into itself."), field="into")
    differences = merge_differences(source, target)
    if "customer" in differences:
        # Never, even when asked: the other customer would read this conversation.
        raise Invalid(_("Only tickets of the same customer can be merged."), field="into")
    if differences and not confirmed:
        raise Invalid(
            _(
                "These tickets have different requesters or order ids. Compare them, then "
                "confirm the merge."
            ),
            field="confirm_differences",
        )
    forget_created(source.pk, target.pk)
    moved = Message.objects.filter(ticket=source).update(ticket=target)
    Attachment.objects.filter(ticket=source).update(ticket=target)
    now = timezone.now()
    old_status = source.status
    source.merged_into, source.status = target, Status.CLOSED
    source.closed_at = source.updated_at = now
    source.save()
    record_event(source, actor, EventKind.MERGED_INTO, new=target.number,
                 data={"messages": moved})  # fmt: skip
    record_event(source, actor, EventKind.STATUS, field="status", old=old_status,
                 new=Status.CLOSED, data={"merged_into": target.number})  # fmt: skip
    record_event(target, actor, EventKind.MERGED, new=source.number, data={"messages": moved})
    Ticket.objects.filter(pk=target.pk).update(updated_at=now)
    return target


@atomic_unit
def split_ticket(
    *, ticket: Ticket, message_ids: Iterable[int], actor: Viewer, subject: str = ""
) -> Ticket:
    """Move some messages of ``ticket`` (a second question, say) into a new ticket of the same
    customer, related to it as split from it. Events on both."""
    _check_may_restructure(actor, ticket)
    ids = sorted(set(message_ids))
    chosen = ticket.messages.filter(pk__in=ids)
    if not ids or chosen.count() != len(ids):
        raise Invalid(_("Choose messages of this ticket."), field="messages")
    if not ticket.messages.filter(is_internal=False).exclude(pk__in=ids).exists():
        raise Invalid(_("At least one public message must stay on the ticket."), field="messages")
    forget_created(ticket.pk)
    now = timezone.now()
    new = Ticket(
        requester=ticket.requester,
        organization=ticket.organization,
        subject=(subject.strip() or ticket.subject)[:255],
        channel=ticket.channel,
        category=ticket.category,
        priority=ticket.priority,
        language=ticket.language,
        team=ticket.team,
        mailbox=ticket.mailbox,
        is_verified=ticket.is_verified,
        related_to=ticket,
        relation=Relation.SPLIT,
        created_at=now,
        updated_at=now,
        last_public_at=now,
    )
    new.number = next_ticket_number(now)
    new.save()
    record_event(new, actor, EventKind.CREATED, new=new.number,
                 data={"channel": new.channel, "split_from": ticket.number}, at=now)  # fmt: skip
    chosen.update(ticket=new)
    Attachment.objects.filter(message_id__in=ids).update(ticket=new)
    record_event(ticket, actor, EventKind.SPLIT, new=new.number, data={"messages": ids})
    record_event(new, actor, EventKind.SPLIT_FROM, new=ticket.number, data={"messages": ids})
    return new


def follow_ticket(*, ticket: Ticket, actor: Viewer, following: bool) -> None:
    """Start or stop following ``ticket``: a follower is told of the customer's new messages."""
    if actor.user is None or not actor.is_agent:
        raise Forbidden(_("Only agents follow tickets."), field="ticket")
    new_ticket = created_here(ticket.pk)
    if following:
        _follow, made = Follow.objects.get_or_create(ticket=ticket, user=actor.user)
        if made and new_ticket is not None:
            new_ticket.followers.append(actor.user)
    else:
        Follow.objects.filter(ticket=ticket, user=actor.user).delete()
        if new_ticket is not None:
            new_ticket.followers[:] = [u for u in new_ticket.followers if u.pk != actor.user.pk]


VIEW_NAME_MAX = 60


def _view_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > VIEW_NAME_MAX:
        raise Invalid(
            _("Give the view a name of 1 to %(max)s characters.") % {"max": VIEW_NAME_MAX},
            field="name",
        )
    return name


def _check_may_edit_view(actor: Viewer, view: SavedView) -> None:
    mine = actor.agent is not None and view.owner_id == actor.agent.pk
    if not (mine or (view.team is not None and may_share_with(actor, view.team))):
        raise Forbidden(_("Only the team's lead may change a shared view."), field="view")


def save_view(
    *, actor: Viewer, name: str, filters: Mapping[str, Any], team: Team | None = None
) -> SavedView:
    """Save the queue's current filters as a view: the agent's own, or shared with ``team``
    (its lead only)."""
    if actor.agent is None:
        raise Forbidden(_("Only agents save views."), field="view")
    if team is not None and not may_share_with(actor, team):
        raise Forbidden(_("Only the team's lead may share a view with it."), field="team")
    kept = {k: str(v) for k, v in filters.items() if k in FILTER_NAMES and v}
    return SavedView.objects.create(
        name=_view_name(name),
        filters=kept,
        owner=None if team else actor.agent,
        team=team,
        created_by=actor.agent,
    )


def rename_view(*, view: SavedView, actor: Viewer, name: str) -> SavedView:
    _check_may_edit_view(actor, view)
    view.name = _view_name(name)
    view.save(update_fields=["name"])
    return view


def delete_view(*, view: SavedView, actor: Viewer) -> None:
    _check_may_edit_view(actor, view)
    view.delete()
