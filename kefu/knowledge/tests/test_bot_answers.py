"""The bot answers from the knowledge base in the visitor's language, with a confidence, offers
the best articles, and asks for the structured template when the message is vague."""

import pytest

from kefu.knowledge import bot
from kefu.knowledge.dialogue import Role, Turn

pytestmark = pytest.mark.usefixtures("shipped")


def test_a_chinese_question_gets_the_chinese_article():
    reply = bot.reply([], "信用卡付款一直失败，卡里明明有钱")
    assert (reply.kind, reply.language, reply.reply_language) == ("answer", "zh", "zh")
    assert reply.articles[0].slug == "payment-card-declined"
    assert reply.articles[0].title == "银行卡支付被拒怎么办？"
    assert reply.articles[0].url.endswith("/help/payment-card-declined/?lang=zh")
    assert 2 <= len(reply.articles) <= 3
    assert "银行卡支付被拒怎么办？" in reply.text and reply.articles[0].url in reply.text
    assert reply.confidence >= bot.ANSWER_CONFIDENCE and reply.resolved


def test_an_english_question_gets_the_english_article():
    reply = bot.reply(
        [], "we wired the money by SWIFT three days ago but the order still awaits payment"
    )
    assert (reply.kind, reply.reply_language) == ("answer", "en")
    assert reply.articles[0].slug == "payment-bank-transfer-not-received"
    assert reply.triage.category == "payment_billing"


def test_a_text_without_language_keeps_the_visitors_language():
    conversation = [Turn(Role.VISITOR, "你好，我想问一下退款"), Turn(Role.BOT, "…", False)]
    assert bot.reply(conversation, "👍👍").reply_language == "zh"
    assert bot.reply([], "🙂", language="en").reply_language == "en"


@pytest.mark.parametrize("text", ["😀😀😀", "???", "你好", "在吗", "hello", "   "])
def test_vague_messages_get_the_template(text):
    reply = bot.reply([], text)
    assert reply.kind == "clarify" and reply.needs_template and not reply.articles
    assert not reply.resolved


def test_a_one_word_question_gets_articles_and_the_template():
    reply = bot.reply([], "退款")
    assert reply.kind == "suggest" and reply.needs_template
    assert {a.slug for a in reply.articles} & {"refund-how-to-request", "refund-timelines"}


def test_confidence_is_higher_for_a_clear_question():
    clear = bot.reply([], "how do I verify the webhook signature with HMAC")
    muddled = bot.reply([], "is the thing from last week done")
    assert clear.confidence > muddled.confidence


def test_the_template_names_order_problem_wish_and_deadline():
    text = bot.reply([], "hi").text
    for words in ("order number", "type of problem", "what you would like", "by when"):
        assert words in text
