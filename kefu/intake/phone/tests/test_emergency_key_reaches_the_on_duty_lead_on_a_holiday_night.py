"""Must-show 2, second half: at 03:00 on National Day, with the hotline closed, the emergency key
still opens an emergency ticket, pages the on-duty lead and rings their phone."""

from datetime import datetime

import pytest

from kefu.intake.phone.models import Call
from kefu.intake.phone.prompts import spoken_number
from kefu.intake.phone.tests.conftest import LENA_MOBILE, OTTO_MOBILE, SHANGHAI
from kefu.notifications.models import Kind, Notification
from kefu.sla.models import SlaClock
from kefu.tickets.models import EventKind, TicketEvent


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_emergency_key_at_three_on_a_holiday_rings_the_lead_on_duty(call_from, personas, frozen):
    frozen.set(datetime(2026, 10, 2, 3, 0, tzinfo=SHANGHAI))  # National Day holiday, 03:00
    call = call_from(OTTO_MOBILE, call_sid="CA" + "e" * 32)
    menu = call.incoming()
    assert "按 9 紧急情况" in " ".join(call.says(menu))

    routed = call.press("9")
    ticket = Call.objects.select_related("ticket").get().ticket
    assert ticket is not None and ticket.is_emergency
    said = call.says(routed)
    assert said[0] == f"您的工单号是 {spoken_number(ticket.number)}。"
    assert said[1] == "正在为您转接值班主管。"
    number = call.dial().find("Number")
    assert number is not None and number.text == LENA_MOBILE

    paged = TicketEvent.objects.get(ticket=ticket, kind=EventKind.PAGED)
    assert paged.new == personas.lena.agent.code
    assert Notification.objects.filter(recipient=personas.lena, kind=Kind.PAGE,
                                       ticket=ticket).exists()  # fmt: skip

    frozen.advance(seconds=40)
    call.agent_leg("in-progress")
    clock = SlaClock.objects.get(ticket=ticket, metric="first_response")
    assert clock.calendars == "always" and clock.state == SlaClock.State.MET
    ticket.refresh_from_db()
    assert ticket.assignee == personas.lena.agent
