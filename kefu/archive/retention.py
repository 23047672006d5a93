"""Retention rules per data kind: purge or anonymise what is older than the rule's period.

Default is keep. A run reports, per kind, how many items it touches (a dry run only counts);
legal holds exempt their organisations' and tickets' data. What each kind means:

* attachments: files of tickets (live or archived) created before the cutoff; purging deletes
  the stored file and leaves the name, type and size (anonymising a file is purging it).
* raw inbound mail: the kept .eml/JSON payloads of messages received before the cutoff.
* chat transcripts: the messages of chat tickets created before the cutoff: purged to a note,
  or anonymised (masked, the requester's name and address replaced).
* call recording links: none are stored yet (the phone channel is planned); counted as 0.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from kefu.archive.actions import held
from kefu.archive.models import ArchivedTicket, ArchiveRun, DataKind, LegalHold, RetentionRule
from kefu.audit.actions import record as audit
from kefu.audit.models import Kind as Audit
from kefu.intake import rawstore
from kefu.intake.models import InboundRecord
from kefu.lib.masking import mask_sensitive
from kefu.tickets.models import Attachment, Channel, Message

PURGED = "[removed by the retention policy]"
Action = RetentionRule.Action


def _held_orgs() -> list[int]:
    holds = LegalHold.objects.filter(released_at__isnull=True, organization__isnull=False)
    return list(holds.values_list("organization_id", flat=True))


def _held_tickets(condition: Any) -> Any:
    from kefu.tickets.models import Ticket

    return Ticket.objects.filter(condition).values("pk")


def _purge_attachments(cutoff: datetime, action: str, dry_run: bool) -> int:
    found = Attachment.objects.filter(created_at__lt=cutoff).exclude(file="").exclude(
        ticket__in=_held_tickets(held())
    )  # fmt: skip
    count = found.count() + _archived_files(cutoff, dry_run)
    if not dry_run:
        for attachment in found.iterator():
            attachment.file.delete(save=False)
            Attachment.objects.filter(pk=attachment.pk).update(file="")
    return count


def _archived_files(cutoff: datetime, dry_run: bool) -> int:
    count = 0
    archived = ArchivedTicket.objects.filter(created_at__lt=cutoff).exclude(
        organization_id__in=_held_orgs()
    )
    for row in archived.iterator():
        files = [a for a in row.snapshot.get("attachments", []) if a.get("path")]
        count += len(files)
        if files and not dry_run:
            for item in files:
                Attachment.file.field.storage.delete(item["path"])
                item["path"] = ""
            ArchivedTicket.objects.filter(pk=row.pk).update(snapshot=row.snapshot)
    return count


def _purge_raw_mail(cutoff: datetime, action: str, dry_run: bool) -> int:
    found = InboundRecord.objects.filter(received_at__lt=cutoff).exclude(raw_path="").exclude(
        ticket__in=_held_tickets(held())
    )  # fmt: skip
    count = found.count()
    if not dry_run:
        store = rawstore.storage()
        for path in set(found.values_list("raw_path", flat=True)):
            store.delete(path)
        found.update(raw_path="")
    return count


def _chat_transcripts(cutoff: datetime, action: str, dry_run: bool) -> int:
    found = Message.objects.filter(ticket__channel=Channel.CHAT, ticket__created_at__lt=cutoff)
    found = found.exclude(ticket__in=_held_tickets(held())).exclude(body=PURGED)
    count = found.count()
    if dry_run:
        return count
    if action == Action.PURGE:
        found.update(body=PURGED, body_full="", html="")
        return count
    for message in found.select_related("ticket__requester").iterator():
        requester = message.ticket.requester
        text = mask_sensitive(message.body).text
        for value in (requester.email, requester.name):
            if value:
                text = text.replace(value, "[anonymised]")
        Message.objects.filter(pk=message.pk).update(body=text, body_full="", html="")
    return count


def _call_recordings(cutoff: datetime, action: str, dry_run: bool) -> int:
    return 0  # the phone channel stores no recording links yet


APPLY: dict[str, Callable[[datetime, str, bool], int]] = {
    DataKind.ATTACHMENTS: _purge_attachments,
    DataKind.RAW_MAIL: _purge_raw_mail,
    DataKind.CHAT_TRANSCRIPTS: _chat_transcripts,
    DataKind.CALL_RECORDINGS: _call_recordings,
}


def run_retention(*, dry_run: bool, actor: Any = None, now: datetime | None = None) -> ArchiveRun:
    now = now or timezone.now()
    run = ArchiveRun.objects.create(
        kind=ArchiveRun.Kind.RETENTION,
        dry_run=dry_run,
        started_at=now,
        actor_id=getattr(actor, "pk", None),
    )
    counts: dict[str, Any] = {}
    for rule in RetentionRule.objects.exclude(action=Action.KEEP):
        with transaction.atomic():
            cutoff = now - timedelta(days=rule.after_days)
            items = APPLY[rule.kind](cutoff, rule.action, dry_run)
            counts[rule.kind] = {"action": rule.action, "after_days": rule.after_days,
                                 "items": items}  # fmt: skip
    run.counts, run.finished_at = counts, timezone.now()
    run.save()
    audit(Audit.RETENTION_RUN, actor=actor, target=f"run {run.pk}",
          detail={"dry_run": dry_run, "counts": counts})  # fmt: skip
    return run
