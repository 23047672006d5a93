"""Must-show 1: a call on the merchant hotline, walked by a fake telephony platform over signed
HTTP callbacks, becomes a phone ticket that an agent with the right skill answers in time."""

import pytest

from kefu.delivery.models import Delivery
from kefu.intake.models import Quarantine
from kefu.intake.phone.models import Call, Verification
from kefu.intake.phone.prompts import spoken_number
from kefu.intake.phone.tests.conftest import OTTO_MOBILE
from kefu.sla.models import SlaClock
from kefu.tickets.models import Channel, Message

RECORDING = "https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE0123456789abcdef"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_order_call_in_hours_is_a_ticket_answered_within_a_minute(call_from, personas, frozen):
    call = call_from(OTTO_MOBILE)

    menu = call.incoming()
    gather = menu.find("Gather")
    assert gather is not None and gather.attrib["input"] == "dtmf speech"
    assert {say.attrib["language"] for say in menu.iter("Say")} == {"zh-CN"}
    spoken = " ".join(call.says())
    assert "按 2 订单问题" in spoken and "密码" in spoken  # never asks for a password, says so

    asked = call.press("2")
    assert "请输入订单号" in " ".join(call.says(asked))
    frozen.advance(seconds=15)
    routed = call.press("2026112300123")

    stored = Call.objects.select_related("ticket", "agent").get()
    ticket = stored.ticket
    assert ticket is not None
    assert f"您的工单号是 {spoken_number(ticket.number)}。" in call.says(routed)
    client = call.dial().find("Client")
    assert client is not None and client.text == personas.alice.agent.code  # the orders skill
    assert stored.verification == Verification.REGISTERED_PHONE

    call.agent_leg("ringing")
    frozen.advance(seconds=30)
    call.agent_leg("in-progress")
    frozen.advance(minutes=3)
    ended = call.dial_ended(DialCallStatus="completed", DialCallDuration="180",
                            RecordingUrl=RECORDING)  # fmt: skip
    assert ended.find("Hangup") is not None
    call.hang_up(duration=230, recording_url=RECORDING)

    ticket.refresh_from_db()
    assert ticket.channel == Channel.PHONE
    assert ticket.requester == personas.otto and ticket.organization == personas.orbit
    assert ticket.is_verified and ticket.order_id == "2026112300123"
    assert ticket.category.code == "order_trade"
    assert ticket.assignee == personas.alice.agent
    phone = ticket.triage["phone"]
    assert [step.get("key") for step in phone["ivr_path"] if "key" in step] == ["2"]
    assert phone["ivr_path"][0]["label"] == "订单问题"
    assert phone["recording_url"] == RECORDING
    assert phone["verification"] == "registered_phone"
    notes = Message.objects.filter(ticket=ticket, is_internal=True)
    assert any(RECORDING in note.body for note in notes)

    clock = SlaClock.objects.get(ticket=ticket, metric="first_response")
    assert clock.target == "1m" and clock.state == SlaClock.State.MET
    answered = Call.objects.get().answered_at
    assert answered is not None and (answered - ticket.created_at).total_seconds() == 45
    assert ticket.first_response_at == answered  # call start → answer, 45 s of the minute
    assert ticket.created_at == stored.started_at
    assert not Quarantine.objects.exists()
    receipt = Delivery.objects.get(kind=Delivery.Kind.ACKNOWLEDGEMENT)  # the number, by mail too
    assert receipt.to == [personas.otto.email] and ticket.number in receipt.text
