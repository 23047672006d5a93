"""A caller whose number no account registered is an unverified contact: they may hear the help
centre's answers but no ticket's status, and when they hang up in the queue their call becomes
an unverified ticket with a callback task, never mail to a made-up address."""

import pytest

from kefu.accounts.access import viewer_for
from kefu.accounts.models import Agent
from kefu.delivery.models import Delivery
from kefu.intake.phone.models import Call, CallbackTask, Verification
from kefu.tickets.actions import add_message

STRANGER = "+8613700000000"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_unregistered_caller_hears_public_answers_and_is_called_back(call_from, personas, frozen):
    Agent.objects.update(status=Agent.Status.OFFLINE)
    call = call_from(STRANGER)
    call.incoming()

    refused = call.press("1")  # a ticket's status: only after keying an account id and PIN
    asked = refused.find("Gather")
    assert asked is not None and "/account" in asked.attrib["action"]
    call.follow_redirect()
    call.press("5")  # common questions
    answer = call.press("1")  # order status, from the help centre
    spoken = call.says(answer)[0]
    assert len(spoken) > 20 and "暂不可用" not in spoken
    call.follow_redirect()
    call.press("0")  # back to the main menu
    queued = call.press("0")  # an agent: nobody is online
    enqueue = queued.find("Enqueue")
    assert enqueue is not None and enqueue.text == "general"
    assert "客服正忙，请稍候。" in call.says(queued)
    held = call.post(enqueue.attrib["waitUrl"], CallStatus="in-progress")
    assert held.find("Pause") is not None

    frozen.advance(minutes=2)
    left = call.post(enqueue.attrib["action"], QueueResult="hangup", CallStatus="completed")
    assert len(left) == 0  # nothing more to say to a caller who is gone
    call.hang_up(duration=150)

    stored = Call.objects.select_related("ticket__requester").get()
    assert stored.verification == Verification.UNVERIFIED and stored.caller is None
    ticket = stored.ticket
    assert ticket is not None and not ticket.is_verified and ticket.organization is None
    assert ticket.requester.email == "caller-8613700000000@phone.invalid"
    assert ticket.triage["identity"]["proven"] is False  # flagged to agents: only claimed
    task = CallbackTask.objects.get()
    assert task.reason == CallbackTask.Reason.ABANDONED and task.number == STRANGER
    # The agent who calls back notes it in public: nothing is mailed to the stand-in address.
    add_message(ticket=ticket, actor=viewer_for(personas.alice), body="我们已回电，问题已解答。")
    assert not [d.to for d in Delivery.objects.all() if any("phone.invalid" in t for t in d.to)]
