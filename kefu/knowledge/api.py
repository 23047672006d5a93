"""``/api/v1/kb``: the public, read-only knowledge base (help centres are public)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import ValidationError

from kefu.errors import NotFound
from kefu.knowledge import queries
from kefu.knowledge.models import Article
from kefu.knowledge.schemas import (
    ArticleLanguageParams,
    ArticleListParams,
    ArticleOut,
    ArticlePage,
    SearchHitOut,
    SearchOut,
    SearchParams,
)
from kefu.knowledge.search import search_articles
from kefu.tickets.models import Category

router = Router(tags=["knowledge base"], auth=None)


def _check_category(code: str | None) -> None:
    if code and not Category.objects.filter(code=code).exists():
        message = _("Unknown category “%(code)s”.") % {"code": code}
        error = {"loc": ("query", "category"), "type": "value_error", "ctx": {"error": message}}
        raise ValidationError([error])


@router.get("/articles", response=ArticlePage, summary="List published articles")
def list_articles(request: HttpRequest, params: Query[ArticleListParams]) -> dict[str, Any]:
    _check_category(params.category)
    articles = queries.list_articles(params.lang or queries.current_language(), params.category)
    start = (params.page - 1) * params.page_size
    return {
        "count": articles.count(),
        "page": params.page,
        "page_size": params.page_size,
        "results": list(articles[start : start + params.page_size]),
    }


@router.get("/articles/{slug}", response=ArticleOut, summary="Get a published article")
def get_article(request: HttpRequest, slug: str, params: Query[ArticleLanguageParams]) -> Article:
    """In ``lang`` (default: the request's language), else in the other language."""
    found = queries.find_article(slug, params.lang or queries.current_language())
    if found is None:
        raise NotFound()
    found.article.is_fallback = found.is_fallback  # type: ignore[attr-defined]
    return found.article


@router.get("/search", response=SearchOut, summary="Search published articles")
def search(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    """Ranked by relevance, with a snippet of each article; ``lang`` omitted: both languages."""
    _check_category(params.category)
    hits = search_articles(params.q, params.lang, params.limit, category=params.category)
    return {"query": params.q, "results": [SearchHitOut.of(hit) for hit in hits]}
