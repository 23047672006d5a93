"""Knowledge-base search: ONE function, ``search_articles``, over SQLite and PostgreSQL.

How a query is answered:

1. The query is cut into terms (``text.query_terms``): Latin stems and CJK trigrams for the
   substring index, and 1–2 character terms that no trigram can contain.
2. The database finds candidates and scores them lexically (``lexical.py``): SQLite FTS5 with
   the trigram tokenizer and BM25; PostgreSQL ``pg_trgm`` plus a weighted ``tsvector``; short
   terms by ``LIKE``. Without those indexes, a portable ``LIKE`` scan (logged once).
3. A per-process character n-gram TF-IDF index (``rerank.py``) scores the query against every
   published article; it catches what substring matching misses (paraphrase, typos) and, being
   the same on both databases, keeps their results alike.
4. The final score mixes both with the query's coverage: the IDF-weighted share of its words
   an article contains. Articles with none of the words are dropped. A Chinese run that some
   article contains whole counts as one word: an article with only a bigram of it has that
   bigram in another word (保证金 is not in 不保证).

Snippets are built in Python from the body's text: escaped, with ``<mark>`` around matches.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils.safestring import SafeString, mark_safe

from kefu.knowledge import lexical
from kefu.knowledge.models import Article, ArticleStatus
from kefu.knowledge.rerank import ArticleIndex, Document
from kefu.knowledge.text import QueryTerms, highlight_terms, plain_text, query_terms, snippet

DEFAULT_LIMIT = 10
CANDIDATES = 50
# Weights of the final score, chosen with bench/kb.py (top-1 / top-3 over its 202 questions,
# SQLite): re-ranking alone 0.77 / 0.89, FTS5 BM25 alone 0.77 / 0.91, combined 0.88 / 0.975,
# plus coverage 0.90 / 0.97 (PostgreSQL: 0.89 / 0.965). The re-ranker is strong on Chinese
# paraphrase, BM25 on English words; coverage prefers articles with more of the query's words.
# Titles and keywords weigh more than bodies inside each part (field weights).
RERANK_WEIGHT = 0.8
LEXICAL_WEIGHT = 0.2
COVERAGE_WEIGHT = 0.1


@dataclass(frozen=True)
class Hit:
    article: Article
    score: float  # 0 (unrelated) … about 1 (the query is the article's own words)
    snippet_html: SafeString  # escaped text; only <mark> elements are markup
    coverage: float = 0.0  # IDF-weighted share of the query's words the article contains


def search_articles(
    query: str,
    lang: str | None = None,
    limit: int = DEFAULT_LIMIT,
    *,
    category: str | None = None,
) -> list[Hit]:
    """Published articles that answer ``query``, best first; ``lang`` "zh"/"en" or both."""
    query = query.strip()
    terms = query_terms(query)
    if not terms or limit < 1:
        return []
    scores, coverage = _scores(query, terms, lang)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    published = (
        Article.objects.filter(status=ArticleStatus.PUBLISHED).select_related("category").order_by()
    )
    if category:
        published = published.filter(category_id=category)
    # Without a category filter, a few more than ``limit`` cover concurrent unpublishing; with
    # one, the best candidates may all be in other categories, so fetch them all.
    candidates = ranked if category else ranked[: limit * 3]
    articles = published.in_bulk([article_id for article_id, _ in candidates])
    return [
        Hit(
            article=articles[i],
            score=round(score, 4),
            snippet_html=mark_safe(snippet(plain_text(articles[i].body), query)),
            coverage=round(coverage[i], 4),
        )
        for i, score in [(i, score) for i, score in candidates if i in articles][:limit]
    ]


def _scores(
    query: str, terms: QueryTerms, lang: str | None
) -> tuple[dict[int, float], dict[int, float]]:
    """Final score and coverage of each candidate article.

    An article without a single word of the query is dropped as noise: character n-grams make
    every article a little similar to every query.
    """
    index = _cached_index()
    weights = {term: index.term_weight(term, lang) for term in terms.all}
    lexical_scores = lexical.scores(terms, lang, CANDIDATES, weights)
    rerank_scores = index.scores(query, lang, CANDIDATES)
    words = highlight_terms(query, is_word=lambda run: index.document_count(run, lang) > 0)
    coverage = {i: index.coverage(words, i) for i in set(lexical_scores) | set(rerank_scores)}
    top = max(lexical_scores.values(), default=0.0)
    scores = {
        article_id: (
            RERANK_WEIGHT * rerank_scores.get(article_id, 0.0)
            + LEXICAL_WEIGHT * (lexical_scores.get(article_id, 0.0) / top if top else 0.0)
            + COVERAGE_WEIGHT * share
        )
        for article_id, share in coverage.items()
        if share > 0
    }
    return scores, coverage


# --- the per-process re-ranking index -------------------------------------------------------

_lock = threading.Lock()
_cache: dict[str, object] = {}


def _index_version() -> tuple[int, str]:
    stats = Article.objects.filter(status=ArticleStatus.PUBLISHED).aggregate(
        n=Count("id"), latest=Max("updated_at")
    )
    return stats["n"], str(stats["latest"])


def _build(articles: Iterable[Article]) -> ArticleIndex:
    return ArticleIndex(
        [
            Document(
                id=article.pk,
                language=article.language,
                title=article.title,
                keywords=", ".join(article.keyword_list),
                body=plain_text(article.body),
            )
            for article in articles
        ]
    )


def _cached_index() -> ArticleIndex:
    """The index of all published articles, rebuilt when any of them changed.

    Checking costs one aggregate query; every edit goes through ``save()`` and so moves
    ``updated_at``, and publishing, unpublishing or deleting changes the count.
    """
    version = _index_version()
    with _lock:
        if _cache.get("version") == version:
            return _cache["index"]  # type: ignore[return-value]
    published = (
        Article.objects.filter(status=ArticleStatus.PUBLISHED)
        .order_by("pk")
        .only("id", "language", "title", "keywords", "body")
    )
    index = _build(published)
    with _lock:
        _cache.update(version=version, index=index)
    return index
