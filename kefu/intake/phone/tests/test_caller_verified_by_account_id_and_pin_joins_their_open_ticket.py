"""A caller from an unregistered number keys their phone account id and PIN (set in the portal)
to be verified; another organisation's ticket number joins nothing and says so generically; the
caller's own open ticket number lets the call join it instead of opening a new one. Three wrong
tries and the IVR stops offering the PIN for that call."""

import pytest

from kefu.intake.phone import actions
from kefu.intake.phone.models import Call, Verification
from kefu.testing import make_ticket
from kefu.tickets.models import Message, Ticket

STRANGER = "+8613700000000"


def _keyed_ticket(number: str) -> str:
    return number.removeprefix("KF")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pin_verified_caller_joins_their_open_ticket(call_from, personas, frozen):
    pin = actions.set_pin(user=personas.otto, pin="2468")
    own = make_ticket(personas.otto, subject="PO-77 还没到")
    other = make_ticket(personas.anna, subject="Acme's order")
    tickets_before = Ticket.objects.count()
    call = call_from(STRANGER)
    greeting = " ".join(call.says(call.incoming()))
    assert "密码" in greeting  # support never asks for a password, and says so

    asked = call.press("1")  # a ticket's status: first, who is calling
    assert "/account" in asked.find("Gather").attrib["action"]  # type: ignore[union-attr]
    assert "密码" in " ".join(call.says(asked))
    call.press(pin.account_number)
    wrong = call.press("1357")
    assert "账号或 PIN 不正确。" in call.says(wrong)
    call.press(pin.account_number)
    verified = call.press("2468")
    assert "您已通过验证。" in call.says(verified)
    stored = Call.objects.get()
    assert stored.verification == Verification.PIN and stored.caller == personas.otto
    assert stored.organization == personas.orbit and stored.pin_tries == 1

    refused = call.press(_keyed_ticket(other.number))  # Acme's ticket: nothing, said generically
    assert call.says(refused) == ["未找到您名下的该工单。"]
    assert refused.find("Gather") is None
    call.follow_redirect()
    call.press("1")
    status = call.press(_keyed_ticket(own.number))
    join = status.find("Gather")
    assert join is not None and "/join" in join.attrib["action"]
    joined = call.press("1")
    assert any("本次来电已加入工单" in said for said in call.says(joined))
    assert joined.find("Dial") is not None  # on to an agent

    stored.refresh_from_db()
    assert stored.ticket == own and Ticket.objects.count() == tickets_before
    assert Message.objects.filter(ticket=own, body__contains="商家热线").exists()
    own.refresh_from_db()
    assert own.triage["phone"]["verification"] == "pin"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_three_wrong_pins_end_the_offer_for_the_call(call_from, personas, frozen):
    pin = actions.set_pin(user=personas.otto, pin="2468")
    call = call_from(STRANGER)
    call.incoming()
    call.press("1")
    for wrong in ("0000", "1111"):
        call.press(pin.account_number)
        again = call.press(wrong)
        assert "/account" in again.find("Gather").attrib["action"]  # type: ignore[union-attr]
    call.press("99999999")  # an account id nobody has counts as a wrong try too
    stopped = call.press("2468")
    assert call.says(stopped)[0] == "账号或 PIN 不正确。"
    assert stopped.find("Gather") is None  # no more offers on this call
    assert "请使用注册电话号码致电" in " ".join(call.says(stopped))
    stored = Call.objects.get()
    assert stored.verification == Verification.UNVERIFIED and stored.caller is None
    assert stored.pin_tries == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_new_calls_buy_no_new_guesses(call_from, personas, frozen):
    """Guessing across calls from many numbers: after six tries on one account id in a day,
    even the right PIN is answered as wrong."""
    pin = actions.set_pin(user=personas.otto, pin="2468")
    for n in range(3):
        call = call_from(f"+861370000000{n}", call_sid=f"CA{n:032d}")
        call.incoming()
        call.press("1")
        for wrong in ("0000", "1111"):
            call.press(pin.account_number)
            call.press(wrong)
    call = call_from("+8613700000009", call_sid=f"CA{9:032d}")
    call.incoming()
    call.press("1")
    call.press(pin.account_number)
    refused = call.press("2468")
    assert call.says(refused)[0] == "账号或 PIN 不正确。"
    assert Call.objects.get(from_number="+8613700000009").caller is None
