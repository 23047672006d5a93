"""A Chinese word the knowledge base knows whole (保证金) matches only articles that contain it
whole: the webhook article's 不保证 shares the bigram 保证 with it, but not the word. Questions
that really are about webhooks still find the webhook article."""

import pytest

from kefu.knowledge.search import search_articles
from kefu.knowledge.text import highlight_terms

pytestmark = pytest.mark.usefixtures("shipped")


@pytest.mark.parametrize("query", ["保证金", "保证金冻结", "保证金冻结了怎么办"])
def test_deposit_queries_find_only_articles_with_the_whole_word(query):
    hits = search_articles(query, "zh")
    assert hits[0].article.slug == "merchant-deposit"
    assert "webhook-retries" not in [hit.article.slug for hit in hits]
    for hit in hits:
        article = hit.article
        assert "保证金" in f"{article.title} {article.keywords} {article.body}", article.slug


@pytest.mark.parametrize(
    ("query", "lang"),
    [("webhook 回调失败会重试吗", "zh"), ("收不到回调", "zh"), ("webhook not received", "en")],
)
def test_webhook_questions_still_find_the_webhook_article(query, lang):
    assert search_articles(query, lang)[0].article.slug == "webhook-retries"


def test_a_known_chinese_word_stays_whole_and_an_unknown_run_is_cut_into_bigrams():
    known = {"保证金"}.__contains__
    assert highlight_terms("保证金", is_word=known) == ["保证金"]
    assert highlight_terms("退款到账", is_word=known) == ["退款", "款到", "到账"]
