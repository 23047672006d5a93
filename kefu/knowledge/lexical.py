"""Lexical candidates for knowledge-base search, scored by the database's own indexes.

``scores(terms, lang, limit, weights)`` returns published article ids with a score in [0, 1]
(relative to the best match of this query), whatever the database:

- SQLite: FTS5 with the trigram tokenizer ranks the trigram terms by BM25 (title and keywords
  weigh more than the body);
- PostgreSQL: ``ts_rank_cd`` over the weighted English ``tsvector`` for Latin words, plus
  field-weighted ``ILIKE`` matches (served by the ``pg_trgm`` GIN index) for every term, which
  is what matches Chinese;
- 1–2 character terms, which no trigram contains, and databases without those indexes: a
  field-weighted ``LIKE`` scan of the published articles.

``LIKE`` matches carry no term statistics, so the caller passes each term's weight (its inverse
document frequency); FTS5's BM25 has its own.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Mapping
from typing import Any

from django.db import DatabaseError, connection

from kefu.knowledge.text import QueryTerms, is_cjk

log = logging.getLogger(__name__)

FTS_TABLE = "knowledge_article_fts"
MIN_SQLITE = (3, 34, 0)  # the first with the trigram tokenizer
FTS_WEIGHTS = (4.0, 3.0, 1.0)  # title, keywords, body
FIELD_WEIGHTS = (("title", 3), ("keywords", 2), ("body", 1))
# Must equal the expression of the index made by migration 0002 for PostgreSQL to use it.
TSVECTOR = (
    "(setweight(to_tsvector('english'::regconfig, a.title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, a.keywords), 'B') || "
    "setweight(to_tsvector('english'::regconfig, a.body), 'C'))"
)
TRGM_DOCUMENT = "(a.title || ' ' || a.keywords || ' ' || a.body)"
_WORD = re.compile(r"[a-z0-9]+")
_fts_checked: dict[str, bool] = {}


Weights = Mapping[str, float]


def scores(
    terms: QueryTerms, lang: str | None, limit: int, weights: Weights | None = None
) -> dict[int, float]:
    """Published articles matching ``terms`` (in ``lang`` if given): id → score in [0, 1]."""
    weights = weights or {}
    found: dict[int, float] = {}
    if terms.trigram:
        found = _normalised(_trigram_scores(terms.trigram, lang, limit, weights))
    if terms.short:
        short = _normalised(_like_scores(terms.short, lang, limit, weights))
        share = len(terms.short) / len(terms.all)
        found = {
            article_id: (1 - share) * found.get(article_id, 0.0)
            + share * short.get(article_id, 0.0)
            for article_id in set(found) | set(short)
        }
    return found


def _normalised(raw: dict[int, float]) -> dict[int, float]:
    top = max(raw.values(), default=0.0)
    return {k: v / top for k, v in raw.items() if v > 0} if top > 0 else {}


def _trigram_scores(
    terms: tuple[str, ...], lang: str | None, limit: int, weights: Weights
) -> dict[int, float]:
    if connection.vendor == "sqlite" and has_fts_index():
        return _fts5_scores(terms, lang, limit, weights)
    if connection.vendor == "postgresql":
        return _postgres_scores(terms, lang, limit, weights)
    return _like_scores(terms, lang, limit, weights)


def has_fts_index() -> bool:
    """Whether this SQLite can use the FTS5 trigram table (migration 0002 made it if it could).

    The library is checked too: a database file made by a newer SQLite may be opened by one
    older than 3.34, which has no trigram tokenizer.
    """
    name = str(connection.settings_dict["NAME"])
    if name not in _fts_checked:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE]
            )
            present = cursor.fetchone() is not None
        _fts_checked[name] = present and sqlite3.sqlite_version_info >= MIN_SQLITE
        if not _fts_checked[name]:
            log.warning(
                "SQLite %s, %s table %s: knowledge-base search scans with LIKE.",
                sqlite3.sqlite_version,
                FTS_TABLE,
                "present" if present else "missing",
            )
    return _fts_checked[name]


def _filters(lang: str | None) -> tuple[str, list[Any]]:
    sql, params = "a.status = 'published'", []
    if lang:
        sql, params = sql + " AND a.language = %s", [lang]
    return sql, params


def _fts5_scores(
    terms: tuple[str, ...], lang: str | None, limit: int, weights: Weights
) -> dict[int, float]:
    match = " OR ".join('"{}"'.format(term.replace('"', '""')) for term in terms)
    where, params = _filters(lang)
    columns = ", ".join(str(w) for w in FTS_WEIGHTS)
    sql = (
        f"SELECT a.id, -bm25({FTS_TABLE}, {columns}) FROM {FTS_TABLE} "
        f"JOIN knowledge_article a ON a.id = {FTS_TABLE}.rowid "
        f"WHERE {FTS_TABLE} MATCH %s AND {where} ORDER BY 2 DESC LIMIT %s"
    )
    try:
        return _fetch(sql, [match, *params, limit])
    except DatabaseError:  # a corrupt or missing index must not break the help centre
        log.exception("FTS5 query failed; falling back to LIKE")
        return _like_scores(terms, lang, limit, weights)


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _field_matches(
    terms: tuple[str, ...], operator: str, weights: Weights
) -> tuple[str, list[Any]]:
    """SQL summing, per term, its weight times the weights of the fields that contain it."""
    parts, params = [], []
    for term in terms:
        weight = float(weights.get(term, 1.0))
        for field, field_weight in FIELD_WEIGHTS:
            parts.append(
                f"(CASE WHEN a.{field} {operator} %s ESCAPE '\\' "
                f"THEN {weight * field_weight:.4f} ELSE 0 END)"
            )
            params.append(_like_pattern(term))
    return " + ".join(parts), params


def _like_scores(
    terms: tuple[str, ...], lang: str | None, limit: int, weights: Weights
) -> dict[int, float]:
    operator = "ILIKE" if connection.vendor == "postgresql" else "LIKE"
    score_sql, score_params = _field_matches(terms, operator, weights)
    where, params = _filters(lang)
    sql = (
        f"SELECT id, score FROM (SELECT a.id AS id, {score_sql} AS score "
        f"FROM knowledge_article a WHERE {where}) AS scored "
        "WHERE score > 0 ORDER BY score DESC LIMIT %s"
    )
    return _fetch(sql, [*score_params, *params, limit])


def _tsquery(terms: tuple[str, ...]) -> str:
    """Prefix matches of the English-script words, OR-ed; safe because words are [a-z0-9]+ only.
    Words with other letters ("devolución", "заказ") are left to the trigram matches."""
    words = dict.fromkeys(
        w for term in terms if term.isascii() and not is_cjk(term) for w in _WORD.findall(term)
    )
    return " | ".join(f"{word}:*" for word in words)


def _postgres_scores(
    terms: tuple[str, ...], lang: str | None, limit: int, weights: Weights
) -> dict[int, float]:
    score_sql, score_params = _field_matches(terms, "ILIKE", weights)
    patterns = [_like_pattern(term) for term in terms]
    where, params = _filters(lang)
    tsquery = _tsquery(terms)
    rank_sql, rank_params, match_sql = "0", [], f"{TRGM_DOCUMENT} ILIKE ANY(%s)"
    if tsquery:
        # ts_rank_cd is at most 1; scaled by the term count it weighs like the ILIKE sum.
        rank_sql = f"ts_rank_cd({TSVECTOR}, to_tsquery('english', %s), 1) * {len(terms)}"
        rank_params = [tsquery]
        match_sql = f"({TSVECTOR} @@ to_tsquery('english', %s) OR {match_sql})"
    sql = (
        f"SELECT a.id, {rank_sql} + {score_sql} FROM knowledge_article a "
        f"WHERE {where} AND {match_sql} ORDER BY 2 DESC LIMIT %s"
    )
    return _fetch(sql, [*rank_params, *score_params, *params, *rank_params, patterns, limit])


def _fetch(sql: str, params: list[Any]) -> dict[int, float]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {int(article_id): float(score) for article_id, score in cursor.fetchall()}
