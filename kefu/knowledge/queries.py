"""Reads of the knowledge base. Articles are public once published; drafts stay in the admin.

Every language has a fallback: a reader of Chinese whose article exists only in English gets the
English one (and is told), rather than nothing; the ten languages with only the most-asked
articles fall back to English.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import get_language

from kefu.knowledge.models import Article, ArticleStatus, Language
from kefu.tickets.models import Category

LANGUAGES = tuple(Language.values)
# Each language by its own name, for the help centre's language filter (read by its speakers).
LANGUAGE_NAMES = {
    "zh": "中文", "en": "English", "es": "Español", "ru": "Русский", "pt": "Português",
    "fr": "Français", "ar": "العربية", "ko": "한국어", "ja": "日本語", "de": "Deutsch",
    "it": "Italiano", "tr": "Türkçe",
}  # fmt: skip


def current_language() -> str:
    """The active interface language as an article language: "zh" or "en"."""
    return "zh" if (get_language() or "").startswith("zh") else "en"


def other_language(lang: str) -> str:
    """The language to fall back to (and to offer a link to): English, or Chinese for English."""
    return "zh" if lang == "en" else "en"


def published() -> QuerySet[Article]:
    return Article.objects.filter(status=ArticleStatus.PUBLISHED).select_related("category")


def list_articles(lang: str, category: str | None = None) -> QuerySet[Article]:
    articles = published().filter(language=lang)
    return articles.filter(category_id=category) if category else articles


@dataclass(frozen=True)
class Found:
    article: Article
    is_fallback: bool  # the article is in the other language: none exists in the one asked for


def find_article(slug: str, lang: str) -> Found | None:
    """The published article ``slug`` in ``lang``, else in the other language, else None."""
    by_language = {a.language: a for a in published().filter(slug=slug)}
    if lang in by_language:
        return Found(by_language[lang], is_fallback=False)
    other = by_language.get(other_language(lang))
    return Found(other, is_fallback=True) if other else None


def has_translation(article: Article) -> bool:
    return published().filter(slug=article.slug, language=other_language(article.language)).exists()


@dataclass(frozen=True)
class Section:
    category: Category
    articles: list[Article]


def sections(lang: str, *, only: bool = False) -> list[Section]:
    """Published articles by category (in taxonomy order), one per slug, ``lang`` preferred.

    A slug published only in another language is listed in that language, unless ``only``
    (the reader filtered the list by language).
    """
    chosen: dict[str, Article] = {}
    articles = published().filter(language=lang) if only else published()
    for article in articles.order_by("category__sort_order", "title"):
        current = chosen.get(article.slug)
        if current is None or (article.language == lang and current.language != lang):
            chosen[article.slug] = article
    grouped: dict[str, Section] = {}
    for article in sorted(chosen.values(), key=lambda a: (a.category.sort_order, a.title)):
        section = grouped.setdefault(article.category_id, Section(article.category, []))
        section.articles.append(article)
    return list(grouped.values())
