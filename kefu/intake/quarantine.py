"""Admins' handling of quarantined messages: re-process (after a fix) or discard."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from kefu.intake import rawstore
from kefu.intake.base import from_json
from kefu.intake.ingest import IngestResult, ingest
from kefu.intake.models import Outcome, Quarantine
from kefu.intake.wechat.inbound import is_unreadable, retry_unreadable
from kefu.tickets.models import Channel


def _raw(entry: Quarantine) -> bytes:
    return rawstore.read(entry.raw_path)


def reprocess(entry: Quarantine) -> IngestResult:
    """Run the kept message through the pipeline again. Idempotency makes a repeat harmless."""
    raw = _raw(entry)
    if entry.channel == Channel.EMAIL:
        from kefu.intake.email.inbound import deliver

        result = deliver(raw, entry.mailbox or "service", sender=entry.sender)
    elif entry.channel == Channel.WECHAT and is_unreadable(entry.external_id):
        result = retry_unreadable(from_json(raw))  # read again, e.g. after a key was fixed
    else:
        result = ingest(from_json(raw))
    if result.outcome != Outcome.QUARANTINED:
        Quarantine.objects.filter(pk=entry.pk).update(
            state=Quarantine.State.REPROCESSED, resolved_at=timezone.now(), ticket=result.ticket
        )
    return result


@transaction.atomic
def discard(entry: Quarantine) -> None:
    Quarantine.objects.filter(pk=entry.pk, state=Quarantine.State.HELD).update(
        state=Quarantine.State.DISCARDED, resolved_at=timezone.now()
    )
