"""Outside chat hours the bot keeps answering and refuses a handoff with the next opening time;
an emergency still goes to the queue, and the on-duty lead is paged at any hour. A resumed chat
replays only its own lines, never earlier ones of the ticket it continues (issue #17's rule)."""

import pytest

from kefu.intake.chat import service
from kefu.intake.models import ChatSession
from kefu.testing import close_chat_for_now
from kefu.tickets.models import TicketEvent


def _chat(language: str = "zh") -> ChatSession:
    return service.open_session(user=None, name="王", email="wang@buyer.test", language=language)


@pytest.mark.django_db
def test_a_request_for_a_person_after_hours_gets_the_next_opening_not_the_queue(personas):
    close_chat_for_now()
    chat = _chat("en")
    service.visitor_says(chat, "c1", "How do I create a sub-account for my purchaser?")
    turn = service.ask_for_person(chat, "Europe/Berlin")
    chat.refresh_from_db()
    assert (chat.state, turn.queued) == (ChatSession.State.BOT, False)
    opening = service.next_opening("Europe/Berlin")
    assert opening.endswith("(Europe/Berlin)")
    assert [line.author for line in turn.lines] == ["bot"]
    assert f"Our agents answer chats again from {opening}" in turn.lines[0].text
    typed = service.visitor_says(chat, "c2", "人工客服", "Europe/Berlin")  # typed: the same
    assert opening in typed.lines[-1].text and not typed.queued


@pytest.mark.django_db
def test_an_emergency_after_hours_is_queued_and_pages_the_on_duty_lead(personas):
    close_chat_for_now()
    chat = _chat()
    turn = service.visitor_says(chat, "c1", "我的账号被盗了，密码和手机号都被改了，有人在乱下单")
    chat.refresh_from_db()
    assert chat.ticket is not None and chat.ticket.is_emergency
    assert (chat.state, turn.queued) == (ChatSession.State.QUEUED, True)
    assert "已通知值班主管" in turn.lines[-1].text
    assert TicketEvent.objects.filter(ticket=chat.ticket, kind="paged").exists()


@pytest.mark.django_db
def test_an_emergency_later_in_an_after_hours_chat_is_queued_too(personas):
    close_chat_for_now()
    chat = _chat()
    service.visitor_says(chat, "c1", "子账号怎么设置权限，只能看订单？")
    turn = service.visitor_says(chat, "c2", "我的账号被盗了，密码和手机号都被改了，有人在乱下单")
    chat.refresh_from_db()
    assert (chat.state, turn.queued) == (ChatSession.State.QUEUED, True)
    assert TicketEvent.objects.filter(ticket=chat.ticket, kind="paged").exists()


@pytest.mark.django_db
def test_a_resumed_chat_replays_its_own_lines_only(personas):
    first = _chat()
    service.visitor_says(first, "c1", "我想修改订单的收货地址，订单号 PO-1")
    earlier = first.ticket
    later = _chat()
    later.ticket = earlier  # a chat continuing the same ticket (a signed-in customer's)
    later.save(update_fields=["ticket"])
    assert service.history(later) == []
    service.visitor_says(later, "c2", "地址改好了吗？")
    assert [line.text for line in service.history(later) if line.author == "visitor"] == [
        "地址改好了吗？"
    ]
    earlier_texts = [line.text for line in service.history(first)]
    assert "我想修改订单的收货地址，订单号 PO-1" in earlier_texts
