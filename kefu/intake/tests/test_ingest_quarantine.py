import pytest

from kefu.errors import Forbidden
from kefu.intake.base import InboundMessage
from kefu.intake.ingest import ingest
from kefu.intake.models import InboundRecord, Outcome, Quarantine
from kefu.intake.quarantine import discard, reprocess
from kefu.tickets.models import Ticket


def _nameless() -> InboundMessage:
    return InboundMessage(channel="wechat", external_id="w-1", text="hi", sender_address="")


@pytest.mark.django_db
def test_a_message_that_fails_is_kept_with_its_stage_and_reason(personas):
    result = ingest(_nameless())
    assert result.outcome == Outcome.QUARANTINED
    entry = Quarantine.objects.get()
    assert (entry.stage, entry.state) == ("identity", Quarantine.State.HELD)
    assert "no usable sender address" in entry.reason
    assert entry.raw_path and not InboundRecord.objects.exists() and not Ticket.objects.exists()


@pytest.mark.django_db
def test_reprocessing_after_a_fix_makes_exactly_one_ticket(personas, monkeypatch):
    ingest(_nameless())
    ingest(_nameless())  # redelivered while held: counted, not duplicated
    entry = Quarantine.objects.get()
    assert entry.attempts == 2
    # The fix: the raw message stays as received; here the admin maps the sender.
    from kefu.intake import identity

    original = identity.resolve_identity

    def fixed(message):
        message.sender_address = "anna@acme.test"
        return original(message)

    monkeypatch.setattr("kefu.intake.ingest.resolve_identity", fixed)
    assert reprocess(entry).outcome == Outcome.TICKET
    assert reprocess(entry).outcome == Outcome.DUPLICATE
    entry.refresh_from_db()
    assert entry.state == Quarantine.State.REPROCESSED and entry.ticket is not None
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
def test_discard(personas):
    ingest(_nameless())
    entry = Quarantine.objects.get()
    discard(entry)
    entry.refresh_from_db()
    assert entry.state == Quarantine.State.DISCARDED


@pytest.mark.django_db
def test_an_unexpected_failure_is_quarantined_not_lost(personas, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("classifier exploded")

    monkeypatch.setattr("kefu.intake.ingest.triage.classify", broken)
    message = InboundMessage(channel="email", external_id="e1", text="My order PO-9 has not arrived after two weeks.",
                             sender_address="anna@acme.test")  # fmt: skip
    assert ingest(message).outcome == Outcome.QUARANTINED
    entry = Quarantine.objects.get()
    assert entry.stage == "triage" and "classifier exploded" in entry.reason


@pytest.mark.django_db
def test_interactive_senders_get_their_own_errors_back(personas):
    message = InboundMessage(channel="api", external_id="a1", text="invoice please",
                             user=personas.sam)  # fmt: skip
    message.fields.category = "payment_billing"  # Sam may not file billing tickets
    with pytest.raises(Forbidden):
        ingest(message)
    assert not Quarantine.objects.exists()


@pytest.mark.django_db
def test_a_mail_storm_is_stopped_but_kept(personas):
    outcomes = [
        ingest(InboundMessage(channel="email", external_id=f"s{i}", text=f"spam {i}",
                              subject=f"spam {i}", sender_address="storm@spam.test")).outcome
        for i in range(35)
    ]  # fmt: skip
    assert outcomes.count(Outcome.QUARANTINED) == 35 - 30
    assert Quarantine.objects.filter(stage="noise").count() == 5
