"""The bot hands off to a person for each reason the charter names, and the handoff carries the
transcript, a summary and the triage result."""

import pytest

from kefu.knowledge import bot
from kefu.knowledge.dialogue import HandoffReason, Role, Turn

pytestmark = pytest.mark.usefixtures("shipped")


def handoff_reason(text, conversation=(), **kw):
    reply = bot.reply(list(conversation), text, **kw)
    return reply.handoff.reason if reply.handoff else None


@pytest.mark.parametrize(
    "text",
    ["人工客服", "转人工", "人工", "我要找人工服务", "human", "Agent", "I want to talk to a real person",
     "can I speak to someone please", "能不能让你们的工作人员跟我说"],
)  # fmt: skip
def test_asking_for_a_person(text):
    reply = bot.reply([], text)
    assert reply.kind == "handoff" and reply.handoff.reason == HandoffReason.REQUESTED
    assert reply.articles == ()


@pytest.mark.parametrize(
    "text",
    ["Quiero hablar con una persona", "¿Puedo hablar con un agente humano?",
     "Quero falar com um atendente", "Vorrei parlare con un operatore",
     "Je veux parler à un conseiller, s'il vous plaît", "Ich möchte mit einem Menschen sprechen",
     "Соедините меня с оператором", "Мне нужен живой человек",
     "Müşteri temsilcisiyle görüşmek istiyorum", "Canlı destek lütfen",
     "أريد التحدث إلى موظف", "オペレーターと話したいです", "상담원 연결해 주세요"],
)  # fmt: skip
def test_asking_for_a_person_in_the_bot_s_other_languages(text):
    assert handoff_reason(text) == HandoffReason.REQUESTED


@pytest.mark.parametrize(
    "text",
    ["¿Cuánto cobra el agente de aduanas?", "O operador logístico não atualizou o rastreio",
     "Mein Paket ist beim Menschen an der Tür nicht angekommen", "Мой оператор связи не работает",
     "配送業者の担当者から連絡がありません",
     "Cumartesi canlı destek saat kaça kadar açık?", "택배 기사님이 연락이 없어요"],
)  # fmt: skip
def test_mentioning_people_in_other_languages_is_not_asking_for_one(text):
    assert handoff_reason(text) != HandoffReason.REQUESTED


@pytest.mark.parametrize(
    "text",
    ["the customs agent wants a commercial invoice, where do I download it",
     "support asked me for the console log, how do i get it in chrome",
     "人工智能能帮我查物流吗 物流一直没有更新"],
)  # fmt: skip
def test_mentioning_people_is_not_asking_for_one(text):
    assert handoff_reason(text) != HandoffReason.REQUESTED


def test_three_unresolved_turns_hand_off():
    conversation: list[Turn] = []
    kinds = []
    for text in ["你好", "😀", "在吗"]:
        reply = bot.reply(conversation, text)
        kinds.append(reply.kind)
        conversation += [Turn(Role.VISITOR, text), reply.as_turn()]
    assert kinds == ["clarify", "clarify", "handoff"]
    assert reply.handoff.reason == HandoffReason.UNRESOLVED


def test_an_answer_that_did_not_help_counts_as_unresolved():
    answered = bot.reply([], "how long does a refund take to reach my bank")
    assert answered.kind == "answer" and answered.resolved
    conversation = [Turn(Role.VISITOR, "how long does a refund take"), answered.as_turn()]
    second = bot.reply(conversation, "that didn't help")
    assert second.kind == "clarify" and not second.resolved
    conversation += [Turn(Role.VISITOR, "that didn't help"), second.as_turn()]
    assert handoff_reason("still not working", conversation) == HandoffReason.UNRESOLVED


def test_the_callers_count_of_unresolved_turns_is_used():
    assert handoff_reason("hello", unresolved_turns=1) is None
    assert handoff_reason("hello", unresolved_turns=2) == HandoffReason.UNRESOLVED


def test_a_person_joining_resets_the_count():
    conversation = [
        Turn("bot", "?", False),
        Turn("bot", "?", False),
        Turn("agent", "Hi, Alice here"),
    ]
    assert handoff_reason("你好", conversation) is None


@pytest.mark.parametrize(
    "text",
    ["我们的账号被盗了，有人在乱下单", "our account was hacked and the payout details changed",
     "production is down, webhooks failing since 9am", "付完款卖家就联系不上了"],
)  # fmt: skip
def test_urgent_or_emergency_triage(text):
    reply = bot.reply([], text)
    assert reply.handoff.reason == HandoffReason.URGENT
    assert reply.triage.urgent or reply.triage.emergency
    assert reply.articles, "urgent handoffs still offer articles to read while waiting"


@pytest.mark.parametrize(
    "text", ["你们这什么垃圾平台，骗子！！！", "This is the WORST service ever, total scam"]
)
def test_strong_negative_sentiment(text):
    assert handoff_reason(text) == HandoffReason.NEGATIVE_SENTIMENT


def test_mild_complaints_are_answered():
    assert (
        handoff_reason("a bit disappointed that my refund is slow, how many days does it take")
        is None
    )


@pytest.mark.parametrize(
    "text",
    [
        "明天北京天气怎么样",
        "推荐一家好吃的火锅店",
        "how do I bake sourdough bread",
        "what is the capital of australia",
    ],
)
def test_nothing_relevant_in_the_knowledge_base(text):
    assert handoff_reason(text) == HandoffReason.NO_ANSWER


def test_the_handoff_carries_transcript_summary_and_triage():
    first = bot.reply([], "我的银行卡付款一直失败")
    conversation = [{"role": "visitor", "text": "我的银行卡付款一直失败"}, first.as_turn()]
    reply = bot.reply(conversation, "卡号 6222021234567890128 还是付不了，转人工")
    handoff = reply.handoff
    assert handoff.reason == HandoffReason.REQUESTED
    assert [t.role for t in handoff.transcript] == ["visitor", "bot", "visitor"]
    assert handoff.transcript[-1].text.startswith("卡号")
    assert handoff.summary.splitlines()[0] == "- 我的银行卡付款一直失败"
    assert "6222021234567890128" not in handoff.summary, "card numbers are masked"
    assert handoff.triage.category == "payment_billing"
    assert handoff.triage.language == "zh" and 0 < handoff.triage.confidence <= 1
    assert handoff.reason_text and handoff.as_dict()["reason"] == "requested"
