"""The only code that writes knowledge-base articles: loading the shipped set, and votes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F

from kefu.knowledge import frontmatter
from kefu.knowledge.models import Article, ArticleStatus, content_hash

SHIPPED_ARTICLES_DIR = Path(__file__).resolve().parent / "articles"


@dataclass
class LoadReport:
    """What ``load_articles`` did, as ``slug/lang`` names per outcome."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_local_edits: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return len(self.created) + len(self.updated)


def load_articles(
    *,
    root: Path = SHIPPED_ARTICLES_DIR,
    force: bool = False,
    model: Any = Article,
    category_codes: set[str] | None = None,
) -> LoadReport:
    """Create or update articles from the shipped files; running it twice changes nothing.

    An article an operator edited in the admin keeps the edit (``kept_local_edits``) unless
    ``force``. ``model`` is the Article class; data migrations pass their historical one.
    Raises FrontMatterError for a malformed file or an unknown category, before writing.
    """
    files = frontmatter.read_directory(root)
    if category_codes is not None:
        for language, parsed in files:
            if parsed.category not in category_codes:
                raise frontmatter.FrontMatterError(
                    f"{language}/{parsed.slug}: unknown category {parsed.category!r}"
                )
    report = LoadReport()
    with transaction.atomic():
        existing = {(a.slug, a.language): a for a in model.objects.all()}
        for language, parsed in files:
            _load_one(model, existing.get((parsed.slug, language)), language, parsed, force, report)
    return report


def _load_one(
    model: Any,
    article: Any,
    language: str,
    parsed: frontmatter.ArticleFile,
    force: bool,
    report: LoadReport,
) -> None:
    name = f"{parsed.slug}/{language}"
    values = {
        "title": parsed.title,
        "body": parsed.body.strip() + "\n",
        "category_id": parsed.category,
        "keywords": ", ".join(parsed.keywords),
    }
    shipped = content_hash(
        title=values["title"],
        body=values["body"],
        category=values["category_id"],
        keywords=values["keywords"],
    )
    if article is None:
        model.objects.create(
            slug=parsed.slug,
            language=language,
            status=ArticleStatus.PUBLISHED,
            shipped_hash=shipped,
            **values,
        )
        report.created.append(name)
        return
    current = content_hash(
        title=article.title,
        body=article.body,
        category=article.category_id,
        keywords=article.keywords,
    )
    if current == shipped:
        report.unchanged.append(name)
        if article.shipped_hash != shipped:
            model.objects.filter(pk=article.pk).update(shipped_hash=shipped)
    elif current == article.shipped_hash or force:
        for key, value in values.items():
            setattr(article, key, value)
        article.shipped_hash = shipped
        article.save()
        report.updated.append(name)
    else:
        report.kept_local_edits.append(name)


def record_vote(*, article: Article, helpful: bool) -> None:
    """Count one helpful / not-helpful vote (callers enforce one vote per visitor)."""
    counter = "helpful_count" if helpful else "not_helpful_count"
    Article.objects.filter(pk=article.pk).update(**{counter: F(counter) + 1})
