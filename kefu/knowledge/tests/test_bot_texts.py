"""Whatever the bot says, it never claims to be a person; its greeting and every handoff remind
the visitor that support never asks for passwords or verification codes. Both languages."""

import re

import pytest
from django.utils import translation

from kefu.knowledge import bot
from kefu.knowledge.dialogue import Role, Turn

pytestmark = pytest.mark.usefixtures("shipped")

CLAIMS_HUMAN = re.compile(
    r"\b(i am|i'm|this is) (a |an )?(real |actual |live )?(human|person|agent|representative)\b"
    r"|\bnot a (bot|robot|machine)\b|我是(真人|人工|客服人员|真实的人)|我不是(机器人|智能|自动)",
    re.IGNORECASE,
)
SCENARIOS = [
    "信用卡付款一直失败", "my card was declined", "退款", "😀", "你好", "人工客服", "agent",
    "我们的账号被盗了", "你们这什么垃圾平台，骗子！！！", "明天北京天气怎么样",
    "how do I bake sourdough bread", "クレジットカードの支払いができません",
]  # fmt: skip


def all_texts():
    texts = [bot.greeting("zh").text, bot.greeting("en").text]
    conversation: list[Turn] = []
    for text in SCENARIOS:
        reply = bot.reply(conversation, text)
        texts.append(reply.text)
        if reply.handoff:
            texts.append(reply.handoff.reason_text)
        conversation += [Turn(Role.VISITOR, text), reply.as_turn()]
    return texts


def reminder(language):
    with translation.override(language):
        return bot._security_reminder()


def test_the_bot_never_claims_to_be_human():
    for text in all_texts():
        assert not CLAIMS_HUMAN.search(text), text


def test_the_greeting_says_it_is_a_bot_and_how_to_reach_a_person():
    for language, bot_word in (("en", "bot"), ("zh", None)):
        text = bot.greeting(language).text
        assert "人工客服" in text and reminder(bot.REPLY_LANGUAGES[language]) in text
        if bot_word:
            assert bot_word in text


@pytest.mark.parametrize("text", ["人工客服", "我们的账号被盗了", "how do I bake sourdough bread"])
def test_every_handoff_carries_the_security_reminder(text):
    reply = bot.reply([Turn(Role.BOT, "hello", False)], text)
    assert reply.kind == "handoff"
    assert reminder(bot.REPLY_LANGUAGES[reply.reply_language]) in reply.text


def test_the_first_reply_reminds_and_later_answers_do_not_repeat_it():
    first = bot.reply([], "my card was declined")
    assert reminder("en") in first.text
    later = bot.reply([Turn(Role.VISITOR, "hi"), first.as_turn()], "and how long do refunds take")
    assert reminder("en") not in later.text


@pytest.mark.skipif(
    reminder("zh-hans") == reminder("en"),
    reason="the bot's msgids are not in the Chinese catalogue yet (the lead merges them)",
)
def test_chinese_replies_are_in_chinese():
    text = bot.reply([], "信用卡付款一直失败").text
    assert "验证码" in text and "密码" in text
    assert "人工客服" in bot.greeting("zh").text and "机器人" in bot.greeting("zh").text
