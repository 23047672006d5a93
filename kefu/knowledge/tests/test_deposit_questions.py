"""Questions about the merchant deposit (保证金) find its article first, and the bot answers them
from it instead of handing off as if they were urgent."""

import pytest

from kefu.knowledge import bot
from kefu.knowledge.search import search_articles

pytestmark = pytest.mark.usefixtures("shipped")


@pytest.mark.parametrize(
    ("query", "lang"),
    [("保证金", "zh"), ("保证金冻结", "zh"), ("deposit frozen", "en"), ("merchant deposit", "en")],
)
def test_deposit_queries_find_the_deposit_article_first(query, lang):
    assert search_articles(query, lang)[0].article.slug == "merchant-deposit"


@pytest.mark.parametrize("text", ["保证金冻结了怎么办", "our store deposit is frozen, what now"])
def test_the_bot_answers_a_frozen_deposit_from_the_article(text):
    reply = bot.reply([], text)
    assert reply.handoff is None
    assert not reply.triage.urgent and not reply.triage.emergency
    assert reply.articles and reply.articles[0].slug == "merchant-deposit"
