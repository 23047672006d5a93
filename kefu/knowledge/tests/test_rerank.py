"""The character n-gram re-ranker scores paraphrases and typos, per language (pure)."""

from kefu.knowledge.rerank import ArticleIndex, Document

DOCS = [
    Document(
        1, "en", "Card payment declined", "card declined, payment failed", "Your bank refused."
    ),
    Document(2, "en", "Refund timelines", "refund, money back", "Refunds take 3 to 5 days."),
    Document(3, "zh", "银行卡支付被拒", "支付失败, 刷卡失败", "发卡行拒绝了交易。"),
]


def test_scores_favour_the_matching_document_in_the_language():
    index = ArticleIndex(DOCS)
    assert next(iter(index.scores("my card got declined", "en"))) == 1
    assert next(iter(index.scores("refnd money bak", "en"))) == 2  # typos
    assert list(index.scores("刷卡一直失败", "zh")) == [3]
    assert set(index.scores("card", None)) <= {1, 2, 3}
    assert all(0 < s <= 1 for s in index.scores("refund", "en").values())


def test_coverage_weighs_rare_words():
    index = ArticleIndex(DOCS)
    assert index.coverage(["card", "declin"], 1) == 1.0
    assert index.coverage(["weather", "card"], 1) < 0.5
    assert index.coverage([], 1) == 0.0


def test_an_empty_index_finds_nothing():
    assert ArticleIndex([]).scores("anything") == {}
