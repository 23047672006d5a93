"""Must-show: the desk rendered in Chinese shows every event and status in Chinese — no raw
codes (``pending_customer``), no English labels or event sentences — in the ticket's history,
its header and the queue."""

import re

import pytest

from kefu.macros.actions import reply_with_macro
from kefu.macros.models import Macro, Scope
from kefu.testing import assigned_ticket, make_ticket, sample_file, session_client
from kefu.tickets import actions
from kefu.tickets.models import Category, EventKind, Status

ENGLISH_LABELS = re.compile(
    r"\b(New|Open|Pending customer|On hold|Resolved|Closed|new|open|pending_customer|on_hold|"
    r"resolved|closed|Urgent|High|Normal|Low|urgent|high|normal|changed|status|priority|"
    r"category|assignee|team|tags|score|created|replied|reopened|merged|split|attached|"
    r"raised|nudge|nudged|internal note)\b"
)


def _text(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    section = (
        html[start : html.index("</section>", start)]
        if "timeline" in element_id
        else (html[start : html.index("</div>", start)])
    )
    return re.sub(r"<[^>]+>", " ", section.split(">", 1)[1])


@pytest.mark.django_db
def test_a_busy_tickets_history_header_and_queue_read_in_chinese(personas):
    chinese = {"subject": "包裹破损", "body": "收到的包裹破损了。"}
    ticket = assigned_ticket(personas, **chinese)
    alice = personas.viewer(personas.alice)
    anna = personas.viewer(personas.anna)
    macro = Macro.objects.create(title_en="Evidence", title_zh="凭证", scope=Scope.GLOBAL,
                                 text_zh="请提供照片。", set_status=Status.PENDING_CUSTOMER,
                                 set_priority="high", add_tags=["待凭证"], note="已索取照片。")  # fmt: skip
    reply_with_macro(ticket=ticket, actor=alice, body="请提供照片。", macro=macro)
    actions.add_message(ticket=ticket, actor=anna, body="照片在这里。")  # back to open
    actions.attach_file(ticket=ticket, actor=anna, filename="照片.png", data=sample_file("png"))
    actions.update_ticket(ticket=ticket, actor=alice, changes={
        "category": Category.objects.get(code="shipment_logistics"), "team": personas.orders,
        "priority": "urgent", "complexity": "complex", "is_emergency": True,
    })  # fmt: skip
    actions.raise_score(ticket=ticket, actor=anna, by=10, reason="nudge")
    other = make_ticket(personas.anna, **chinese)
    actions.merge_tickets(source=other, target=ticket, actor=alice)
    actions.change_status(ticket=ticket, actor=alice, status=Status.RESOLVED)
    actions.add_message(ticket=ticket, actor=anna, body="还是没解决。")  # reopens
    kinds = set(ticket.events.values_list("kind", flat=True))
    assert {EventKind.STATUS, EventKind.REOPENED, EventKind.TAGS, EventKind.PRIORITY,
            EventKind.CATEGORY, EventKind.SCORE, EventKind.MERGED, EventKind.NOTE,
            EventKind.ATTACHMENT} <= kinds  # fmt: skip

    client = session_client(personas.alice)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(f"/desk/t/{ticket.number}/").content.decode()
    history = _text(page, "timeline")
    for chinese_words in (
        "待客户回复",
        "处理中",
        "已解决",
        "重新打开",
        "标签",
        "优先级",
        "客户催办",
    ):
        assert chinese_words in history, chinese_words
    assert ENGLISH_LABELS.findall(history) == []
    assert ENGLISH_LABELS.findall(_text(page, "ticket-head")) == []
    queue = client.get("/desk/", headers={"HX-Request": "true"}).content.decode()
    rows = re.sub(r"<[^>]+>", " ", queue.split("<tbody>", 1)[1].split("</tbody>", 1)[0])
    assert ENGLISH_LABELS.findall(rows) == []


@pytest.mark.django_db
def test_the_chat_queue_reads_in_chinese(personas):
    from kefu.intake.chat import service
    from kefu.testing import open_chat_around_the_clock

    open_chat_around_the_clock()
    chat = service.open_session(user=None, name="王", email="wang@buyer.test", language="zh")
    service.visitor_says(chat, "c1", "我的订单还没发货")
    assert service.ask_for_person(chat).queued
    client = session_client(personas.ada)
    client.cookies["django_language"] = "zh-hans"
    waiting = client.get("/desk/chat/queue.json").json()["waiting"]
    assert len(waiting) == 1
    shown = f"{waiting[0]['reason']} · {waiting[0]['waiting']}"
    assert "分钟" in shown
    assert re.findall(r"[A-Za-z_]{2,}", shown) == [], shown
