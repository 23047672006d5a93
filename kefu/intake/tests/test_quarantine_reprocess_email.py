"""Re-processing quarantined email after the cause is fixed: exactly one ticket, with the text
decoded as it should be."""

from __future__ import annotations

from pathlib import Path

import pytest

from kefu.intake.email.inbound import deliver
from kefu.intake.models import InboundRecord, Outcome, Quarantine
from kefu.intake.quarantine import reprocess
from kefu.tickets.models import Category, Ticket

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "emails"


@pytest.mark.django_db
def test_a_big5_part_without_sender_lands_once_after_the_admin_names_one(personas):
    path = SHARED / "zh-big5-body-labelled-us-ascii.eml"
    if not path.is_file():
        pytest.skip(f"shared email corpus not found at {SHARED}")
    assert deliver(path.read_bytes(), "merchant").outcome == Outcome.QUARANTINED
    entry = Quarantine.objects.get()
    entry.sender = "reader@example.tw"  # what the admin form saves
    entry.save(update_fields=["sender"])
    first = reprocess(entry)
    assert first.outcome == Outcome.TICKET
    expected = "顏是家訓  北齊  顏之推  卷第七　音辭　雜藝　終制"  # the README's decoding
    assert " ".join(first.message.body.split()).startswith(" ".join(expected.split()))
    assert (
        first.ticket.mailbox == "merchant" and first.ticket.requester.email == "reader@example.tw"
    )
    assert reprocess(entry).outcome == Outcome.DUPLICATE
    assert Ticket.objects.count() == 1 and InboundRecord.objects.count() == 1
    entry.refresh_from_db()
    assert entry.state == Quarantine.State.REPROCESSED and entry.ticket == first.ticket


@pytest.mark.django_db
def test_a_failure_in_a_later_stage_lands_once_after_the_cause_is_fixed(personas, monkeypatch):
    raw = (
        b"From: Anna <anna@acme.test>\r\nSubject: invoice copy\r\nMessage-ID: <later@acme.test>\r\n"
        b"\r\nPlease send the invoice for PO-4.\r\n"
    )

    def classifier_down(**kwargs):
        raise RuntimeError("triage model file missing")

    monkeypatch.setattr("kefu.intake.ingest.triage.classify", classifier_down)
    assert deliver(raw).outcome == Outcome.QUARANTINED
    assert deliver(raw).outcome == Outcome.QUARANTINED  # redelivered meanwhile: one entry
    entry = Quarantine.objects.get()
    assert (entry.stage, entry.attempts) == ("triage", 2)
    assert "triage model file missing" in entry.reason
    monkeypatch.undo()  # the admin restores the model file
    assert reprocess(entry).outcome == Outcome.TICKET
    assert Ticket.objects.get().category in Category.objects.all()
    assert InboundRecord.objects.get().external_id == "later@acme.test"
