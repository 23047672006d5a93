"""API shapes of knowledge-base articles and search results."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from kefu.knowledge.models import Article
from kefu.knowledge.rendering import render_markdown
from kefu.knowledge.search import Hit

LanguageCode = Literal["zh", "en", "es", "ru", "pt", "fr", "ar", "ko", "ja", "de", "it", "tr"]
CategoryCode = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)]
SearchText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class ArticleListParams(Schema):
    lang: LanguageCode | None = None  # default: the request's language (Accept-Language)
    category: CategoryCode | None = None
    # A few hundred articles per language; the bound keeps the offset within the database's
    # integers (a page of 10^20 used to be a 500).
    page: int = Field(1, ge=1, le=1000)
    page_size: int = Field(25, ge=1, le=100)


class ArticleLanguageParams(Schema):
    lang: LanguageCode | None = None


class SearchParams(Schema):
    q: SearchText
    lang: LanguageCode | None = None  # default: every language
    category: CategoryCode | None = None
    limit: int = Field(10, ge=1, le=50)


class ArticleSummaryOut(Schema):
    slug: str
    language: str
    title: str
    category: str
    keywords: list[str]
    url: str
    helpful: int
    not_helpful: int
    updated_at: datetime

    @staticmethod
    def resolve_category(obj: Article) -> str:
        return obj.category_id

    @staticmethod
    def resolve_keywords(obj: Article) -> list[str]:
        return obj.keyword_list

    @staticmethod
    def resolve_url(obj: Article) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_helpful(obj: Article) -> int:
        return obj.helpful_count

    @staticmethod
    def resolve_not_helpful(obj: Article) -> int:
        return obj.not_helpful_count


class ArticleOut(ArticleSummaryOut):
    body: str  # Markdown, as written
    body_html: str  # rendered and sanitised
    is_fallback: bool = False  # not available in the language asked for; this is the other one

    @staticmethod
    def resolve_body_html(obj: Article) -> str:
        return render_markdown(obj.body)


class ArticlePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ArticleSummaryOut]


class SearchHitOut(Schema):
    slug: str
    language: str
    title: str
    category: str
    url: str
    score: float
    snippet_html: str  # escaped text; the only markup is <mark> around matched words

    @classmethod
    def of(cls, hit: Hit) -> SearchHitOut:
        article = hit.article
        return cls(
            slug=article.slug,
            language=article.language,
            title=article.title,
            category=article.category_id,
            url=article.get_absolute_url(),
            score=hit.score,
            snippet_html=str(hit.snippet_html),
        )


class SearchOut(Schema):
    query: str
    results: list[SearchHitOut]
