"""Must-show 2, first half: the same order call at 20:00 reaches no agent; the caller hears their
ticket number, leaves a voicemail, and a callback task falls due in the line's next open hours."""

from datetime import datetime

import pytest

from kefu.intake.phone.models import Call, CallbackTask
from kefu.intake.phone.prompts import spoken_number
from kefu.intake.phone.tests.conftest import OTTO_MOBILE, SHANGHAI
from kefu.sla.models import SlaClock
from kefu.tickets.models import Channel, Message

VOICEMAIL = "https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE0000000000voicemail"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_order_call_after_hours_leaves_a_voicemail_and_a_callback_task(call_from, personas, frozen):
    frozen.set(datetime(2026, 11, 23, 20, 0, tzinfo=SHANGHAI))  # Monday evening: closed
    call = call_from(OTTO_MOBILE)
    call.incoming()
    call.press("2")
    closed = call.press("2026112300999")

    assert closed.find("Dial") is None and closed.find("Enqueue") is None
    assert closed.find("Record") is not None
    stored = Call.objects.select_related("ticket").get()
    ticket = stored.ticket
    assert ticket is not None and ticket.channel == Channel.PHONE
    said = call.says(closed)
    assert said[0] == f"您的工单号是 {spoken_number(ticket.number)}。"
    assert "非工作时间" in said[1]

    thanked = call.recorded(VOICEMAIL)
    assert thanked.find("Hangup") is not None
    frozen.advance(minutes=1)
    call.hang_up(duration=58)

    task = CallbackTask.objects.get()
    assert task.reason == CallbackTask.Reason.VOICEMAIL
    assert task.ticket == ticket and task.number == OTTO_MOBILE and task.done_at is None
    # Two business hours on the line's calendar: Tuesday 09:00 + 2 h.
    assert task.due_at == datetime(2026, 11, 24, 11, 0, tzinfo=SHANGHAI)
    stored.refresh_from_db()
    assert stored.voicemail_url == VOICEMAIL and stored.answered_at is None
    assert Message.objects.filter(
        ticket=ticket, is_internal=True, body__contains=VOICEMAIL
    ).exists()
    ticket.refresh_from_db()
    assert ticket.triage["phone"]["voicemail_url"] == VOICEMAIL
    assert ticket.order_id == "2026112300999"
    clock = SlaClock.objects.get(ticket=ticket, metric="first_response")
    assert clock.state == SlaClock.State.RUNNING  # waits for the callback, in business time
    assert clock.due_at == datetime(2026, 11, 24, 9, 1, tzinfo=SHANGHAI)
