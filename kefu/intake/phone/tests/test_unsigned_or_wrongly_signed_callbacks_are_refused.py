"""Must-show 1, the other half: a callback without a valid signature from the line's secret gets
403 and leaves no trace: no call, no ticket, nothing quarantined."""

import httpx
import pytest

from kefu.intake.models import InboundRecord, Quarantine
from kefu.intake.phone.models import Call, CallbackTask
from kefu.intake.phone.tests.conftest import OTTO_MOBILE, SECRET
from kefu.intake.phone.tests.fake_platform import twilio_signature
from kefu.tickets.models import Ticket


def _nothing_created() -> None:
    assert not Call.objects.exists()
    assert not Ticket.objects.exists()
    assert not CallbackTask.objects.exists()
    assert not InboundRecord.objects.exists() and not Quarantine.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_unsigned_and_wrongly_signed_callbacks_get_403(call_from, frozen):
    call = call_from(OTTO_MOBILE)
    incoming = call.url("incoming")
    fields = {"CallSid": call.call_sid, "From": OTTO_MOBILE, "To": call.number}

    assert httpx.post(incoming, data=fields).status_code == 403  # no signature at all
    assert call.send(incoming, secret="somebody-elses-token").status_code == 403
    # Signed for other fields than those sent (a tampered order number).
    signed = twilio_signature(SECRET, call.url("order"), {**fields, "Digits": "1"})
    tampered = httpx.post(call.url("order"), data={**fields, "Digits": "2"},
                          headers={"X-Twilio-Signature": signed})  # fmt: skip
    assert tampered.status_code == 403
    # Signed for the address Django sees rather than the public one the platform called.
    inner = incoming.replace("127.0.0.1", "localhost")
    assert call.send(inner).status_code == 403
    # A GET with the signature of the POST it copies.
    assert httpx.get(incoming, params=fields,
                     headers={"X-Twilio-Signature": signed}).status_code == 403  # fmt: skip
    _nothing_created()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_unknown_line_is_404_and_a_signed_call_is_answered(call_from, frozen):
    call = call_from(OTTO_MOBILE)
    stranger = call.send(call.url("incoming").replace("/merchant/", "/nobody/"))
    assert stranger.status_code == 404
    _nothing_created()
    call.incoming()
    assert Call.objects.count() == 1
