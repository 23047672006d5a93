"""Knowledge-base fixtures: the shipped articles (loaded by migration 0003, reloaded here in case
a transactional test emptied the tables) and small articles of our own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kefu.knowledge.actions import load_articles
from kefu.knowledge.models import Article, ArticleStatus


@pytest.fixture
def shipped(db: None) -> None:
    load_articles()


@pytest.fixture
def make_article(db: None) -> Callable[..., Article]:
    def make(slug: str, language: str = "en", **fields: object) -> Article:
        values: dict[str, object] = {
            "title": f"Title of {slug}",
            "body": f"Body of {slug}.",
            "category_id": "other",
            "keywords": "",
            "status": ArticleStatus.PUBLISHED,
        }
        values.update(fields)
        return Article.objects.create(slug=slug, language=language, **values)

    return make
