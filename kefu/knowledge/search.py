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
4. The final score mixes both, plus a boost for article keywords the query contains.

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
from kefu.knowledge.text import fold, highlight_terms, plain_text, query_terms, snippet

DEFAULT_LIMIT = 10
CANDIDATES = 50
# Weights of the final score, chosen with bench/kb.py (top-1 / top-3 over 202 questions on
# SQLite): re-ranking alone 0.77 / 0.89, FTS5 alone 0.77 / 0.91, these weights 0.87 / 0.975.
# The re-ranker is strong on Chinese paraphrase, BM25 on English words; they complement.
RERANK_WEIGHT = 0.8
LEXICAL_WEIGHT = 0.2
KEYWORD_BOOST = 0.1
MIN_KEYWORD_CHARS = 2


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
    index, keywords = _cached_index()
    scores = _combine(
        lexical=lexical.scores(terms, lang, CANDIDATES),
        rerank=index.scores(query, lang, CANDIDATES),
        boosts=_keyword_boosts(query, keywords, lang),
    )
    published = Article.objects.filter(status=ArticleStatus.PUBLISHED)
    if category:
        published = published.filter(category_id=category)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    # Without a category filter, a few more than ``limit`` cover unpublished races; with one,
    # the best candidates may all be in other categories, so fetch them all (≤ 2 × CANDIDATES).
    candidates = ranked if category else ranked[: limit * 3]
    articles = published.in_bulk([article_id for article_id, _ in candidates])
    words = highlight_terms(query)
    return [
        Hit(
            article=articles[i],
            score=round(score, 4),
            snippet_html=mark_safe(snippet(plain_text(articles[i].body), query)),
            coverage=round(index.coverage(words, i), 4),
        )
        for i, score in [(i, score) for i, score in ranked if i in articles][:limit]
    ]


def _combine(
    *, lexical: dict[int, float], rerank: dict[int, float], boosts: dict[int, float]
) -> dict[int, float]:
    top = max(lexical.values(), default=0.0)
    combined: dict[int, float] = {}
    for article_id in set(lexical) | set(rerank):
        lexical_share = lexical.get(article_id, 0.0) / top if top else 0.0
        combined[article_id] = (
            RERANK_WEIGHT * rerank.get(article_id, 0.0)
            + LEXICAL_WEIGHT * lexical_share
            + boosts.get(article_id, 0.0)
        )
    return combined


def _keyword_boosts(
    query: str, keywords: dict[int, tuple[str, tuple[str, ...]]], lang: str | None
) -> dict[int, float]:
    """Articles one of whose keywords the query contains verbatim; longer keywords count more."""
    folded = fold(query)
    boosts = {}
    for article_id, (language, words) in keywords.items():
        if lang and language != lang:
            continue
        longest = max((len(w) for w in words if w in folded), default=0)
        if longest >= MIN_KEYWORD_CHARS:
            boosts[article_id] = KEYWORD_BOOST * min(1.0, longest / 6)
    return boosts


# --- the per-process re-ranking index -------------------------------------------------------

_lock = threading.Lock()
_cache: dict[str, object] = {}


def _index_version() -> tuple[int, str]:
    stats = Article.objects.filter(status=ArticleStatus.PUBLISHED).aggregate(
        n=Count("id"), latest=Max("updated_at")
    )
    return stats["n"], str(stats["latest"])


def _build(articles: Iterable[Article]) -> tuple[ArticleIndex, dict]:
    documents, keywords = [], {}
    for article in articles:
        documents.append(
            Document(
                id=article.pk,
                language=article.language,
                title=article.title,
                keywords=", ".join(article.keyword_list),
                body=plain_text(article.body),
            )
        )
        keywords[article.pk] = (article.language, tuple(fold(k) for k in article.keyword_list))
    return ArticleIndex(documents), keywords


def _cached_index() -> tuple[ArticleIndex, dict[int, tuple[str, tuple[str, ...]]]]:
    """The index of all published articles, rebuilt when any of them changed.

    Checking costs one aggregate query; every edit goes through ``save()`` and so moves
    ``updated_at``, and publishing, unpublishing or deleting changes the count.
    """
    version = _index_version()
    with _lock:
        if _cache.get("version") == version:
            return _cache["index"], _cache["keywords"]  # type: ignore[return-value]
    published = Article.objects.filter(status=ArticleStatus.PUBLISHED).only(
        "id", "language", "title", "keywords", "body"
    )
    index, keywords = _build(published)
    with _lock:
        _cache.update(version=version, index=index, keywords=keywords)
    return index, keywords
