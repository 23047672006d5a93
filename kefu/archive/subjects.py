"""Data-subject requests (PIPL/GDPR style): export everything Kefu holds on a person, or erase
them.

Erasure anonymises rather than deletes: the person's tickets keep their history, with the
person replaced by a tombstone (``erased-<id>@erased.invalid``, no name, no phone) and every
occurrence of their address, name and phone in the texts of those tickets, their chats, the
outbox, notifications, archived snapshots and sign-in logs replaced; their uploaded files and
kept raw mail are deleted. Masked data stays masked (nothing is unmasked to be replaced).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.db.models import Model, Q

from kefu.accounts.models import User
from kefu.archive.actions import snapshot
from kefu.archive.models import ArchivedTicket, Erasure
from kefu.audit.actions import record as audit
from kefu.audit.models import Kind as Audit
from kefu.delivery.models import Delivery
from kefu.intake import rawstore
from kefu.intake.models import ChatSession, InboundRecord, Quarantine
from kefu.notifications.models import Notification
from kefu.ratings.models import Rating
from kefu.search.actions import index_tickets
from kefu.tickets.models import Attachment, Message, Ticket, TicketEvent
from kefu.triage.models import Recategorisation

ERASED = "[erased]"


def tombstone(user: User) -> str:
    return f"erased-{user.pk}@erased.invalid"


def needles(user: User) -> list[str]:
    """What identifies the person in free text (names shorter than two letters would erase
    unrelated words, so they are left)."""
    found = [user.email, user.phone, user.name]
    return sorted({n.strip() for n in found if n and len(n.strip()) >= 2}, key=len, reverse=True)


def their_tickets(user: User) -> Q:
    authored = Message.objects.filter(author=user).values("ticket_id")
    return Q(requester=user) | Q(pk__in=authored)


def _scrub(text: str, found: Iterable[str]) -> str:
    for needle in found:
        if needle:
            text = _replace_ci(text, needle)
    return text


def _replace_ci(text: str, needle: str) -> str:
    lowered, target, out, start = text.lower(), needle.lower(), [], 0
    while (at := lowered.find(target, start)) >= 0:
        out += [text[start:at], ERASED]
        start = at + len(needle)
    return "".join(out) + text[start:]


def _scrub_json(value: Any, found: list[str]) -> Any:
    return json.loads(_scrub(json.dumps(value, ensure_ascii=False), found))


def _scrub_rows(model: type[Model], rows: Q, fields: list[str], found: list[str],
                json_fields: Iterable[str] = ()) -> int:  # fmt: skip
    changed = 0
    for row in model.objects.filter(rows).iterator():  # type: ignore[attr-defined]
        values = {f: _scrub(getattr(row, f) or "", found) for f in fields}
        values |= {f: _scrub_json(getattr(row, f), found) for f in json_fields}
        if any(values[f] != getattr(row, f) for f in values):
            model.objects.filter(pk=row.pk).update(**values)  # type: ignore[attr-defined]
            changed += 1
    return changed


def _delete_files(user: User, tickets: Q) -> int:
    deleted = 0
    for attachment in Attachment.objects.filter(uploaded_by=user).exclude(file=""):
        attachment.file.delete(save=False)
        Attachment.objects.filter(pk=attachment.pk).update(file="", filename=ERASED)
        deleted += 1
    raw = InboundRecord.objects.filter(
        Q(sender__iexact=user.email) | Q(ticket__in=Ticket.objects.filter(tickets))
    )
    for path in set(raw.exclude(raw_path="").values_list("raw_path", flat=True)):
        rawstore.storage().delete(path)
        deleted += 1
    raw.update(raw_path="")
    return deleted


@transaction.atomic
def erase_person(*, user: User, actor: Any = None) -> Erasure:
    found = needles(user)
    mine = their_tickets(user)
    ticket_ids = Q(ticket__in=Ticket.objects.filter(mine).values("pk"))
    by_email = Q(sender__iexact=user.email)
    chats = ticket_ids | Q(visitor=user) | Q(visitor_email__iexact=user.email)
    archived = Q(requester_id=user.pk) | Q(snapshot__icontains=user.email)
    admin_log = Q(object_repr__icontains=user.email) | Q(object_repr__icontains=user.name or ERASED)
    counts = {
        "files": _delete_files(user, mine),
        "tickets": _scrub_rows(Ticket, mine, ["subject", "desired_outcome"], found),
        "messages": _scrub_rows(
            Message, ticket_ids | Q(author=user), ["body", "body_full", "html"], found
        ),
        "events": _scrub_rows(TicketEvent, ticket_ids, [], found, ["old", "new", "data"]),
        "chats": _scrub_rows(
            ChatSession, chats, ["visitor_name", "visitor_email", "rating_comment"], found
        ),
        "ratings": _scrub_rows(Rating, ticket_ids | Q(rated_by=user), ["comment"], found),
        "outbox": _scrub_rows(
            Delivery,
            ticket_ids | Q(to__icontains=user.email),
            ["subject", "text", "html"],
            found,
            ["to"],
        ),
        "notifications": _scrub_rows(
            Notification, ticket_ids | Q(recipient=user), [], found, ["params"]
        ),
        "inbound": _scrub_rows(InboundRecord, by_email | ticket_ids, ["sender"], found),
        "quarantine": _scrub_rows(Quarantine, by_email, ["sender", "subject"], found),
        "recategorisations": _scrub_rows(Recategorisation, ticket_ids, ["text"], found),
        "archived": _scrub_rows(ArchivedTicket, archived, ["subject"], found, ["snapshot"]),
        "admin_log": _scrub_rows(LogEntry, admin_log, ["object_repr"], found),
    }
    for log in (AccessAttempt, AccessLog, AccessFailureLog):
        log.objects.filter(username__iexact=user.email).delete()
    label = tombstone(user)
    User.objects.filter(pk=user.pk).update(
        email=label, name="", phone="", is_active=False, password="!erased"
    )
    # The search documents hold the person's name, email and words: rebuilt from the scrubbed rows.
    authored = Message.objects.filter(author=user).values_list("ticket_id", flat=True)
    index_tickets(ids={*Ticket.objects.filter(mine).values_list("pk", flat=True), *authored})
    erasure = Erasure.objects.create(
        user_id=user.pk, tombstone=label, actor_id=getattr(actor, "pk", None), counts=counts
    )
    audit(Audit.ERASURE, actor=actor, target=f"user {user.pk}", detail={"counts": counts})
    return erasure


# --- export -------------------------------------------------------------------------------------


def _person(user: User) -> dict[str, Any]:
    account = getattr(user, "account", None)
    return {
        "id": user.pk, "email": user.email, "name": user.name, "phone": user.phone,
        "language": user.language, "joined": user.date_joined.isoformat(),
        "organization": account.organization.name if account else None,
        "main_account": account.is_main if account else None,
        "scopes": account.scopes if account else [],
    }  # fmt: skip


def _chats(user: User) -> list[dict[str, Any]]:
    rows = ChatSession.objects.filter(Q(visitor=user) | Q(visitor_email__iexact=user.email))
    return [
        {"id": c.pk, "ticket": c.ticket.number if c.ticket else None,
         "created_at": c.created_at.isoformat(), "rating": c.rating,
         "rating_comment": c.rating_comment}
        for c in rows.select_related("ticket")
    ]  # fmt: skip


def export_person(*, user: User, actor: Any = None) -> bytes:
    """A zip: ``person.json`` (the person, tickets with conversation and events, chats,
    notifications, archived tickets) and ``files/`` (files they uploaded)."""
    tickets = Ticket.objects.filter(their_tickets(user)).prefetch_related(
        "messages", "events", "attachments", "qa_reviews", "ratings")  # fmt: skip
    data = {
        "person": _person(user),
        "tickets": [snapshot(t) for t in tickets],
        "archived_tickets": [
            a.snapshot for a in ArchivedTicket.objects.filter(requester_id=user.pk)
        ],
        "chats": _chats(user),
        "notifications": [{"kind": n.kind, "params": n.params, "at": n.created_at.isoformat()}
                          for n in Notification.objects.filter(recipient=user)],
    }  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        archive.writestr("person.json", text)
        for attachment in Attachment.objects.filter(uploaded_by=user).exclude(file=""):
            with attachment.file.open("rb") as stored:
                archive.writestr(f"files/{attachment.pk}-{attachment.filename}", stored.read())
    audit(Audit.DATA_EXPORT, actor=actor, target=f"user {user.pk}",
          detail={"tickets": len(data["tickets"]), "bytes": buffer.tell()})  # fmt: skip
    return buffer.getvalue()
