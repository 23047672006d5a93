"""The only code that writes knowledge-base articles (loading the shipped set, votes) and the
record of people helping themselves with them (self-service visits, for deflection)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from kefu.knowledge import frontmatter
from kefu.knowledge.models import (
    Article,
    ArticleStatus,
    Language,
    SelfServiceVisit,
    content_hash,
)

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
    files = frontmatter.read_directory(root, tuple(Language.values))
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


SHANGHAI = ZoneInfo("Asia/Shanghai")
# A ticket or a handoff this long after the last article read counts as the reading's failure.
CONTACT_WINDOW = timedelta(hours=24)


def record_reading(
    *, visitor: str, user_id: int | None, source: str, language: str, at: datetime
) -> None:
    """One article read in the help centre, or one bot answer from an article, by ``visitor``:
    the day's visit starts or grows."""
    day = at.astimezone(SHANGHAI).date()
    grown = SelfServiceVisit.objects.filter(visitor=visitor, day=day).update(
        last_at=at, articles=F("articles") + 1
    )
    if grown:
        if user_id is not None:
            SelfServiceVisit.objects.filter(visitor=visitor, day=day, user__isnull=True).update(
                user_id=user_id
            )
        return
    try:
        with transaction.atomic():
            SelfServiceVisit.objects.create(
                visitor=visitor, user_id=user_id, source=source, language=language[:2],
                day=day, first_at=at, last_at=at,
            )  # fmt: skip
    except IntegrityError:  # the same visitor's other tab got there first
        SelfServiceVisit.objects.filter(visitor=visitor, day=day).update(
            last_at=at, articles=F("articles") + 1
        )


def claim_visits(*, visitor: str, user_id: int) -> int:
    """The visitor signed in: their earlier reading is theirs (a ticket they open counts)."""
    return SelfServiceVisit.objects.filter(visitor=visitor, user__isnull=True).update(
        user_id=user_id
    )


@dataclass(frozen=True)
class Contact:
    """A person reached a human at ``at``: signed in as ``user_id``, or in the chats named in
    ``visitors`` (``chat:<id>``)."""

    user_id: int | None
    visitors: tuple[str, ...]
    at: datetime


def record_contacts(contacts: Iterable[Contact]) -> int:
    """Each contact's visits whose last article was read within ``CONTACT_WINDOW`` before it
    were not deflected; the earliest contact claims a visit. The visits that may match are read
    first, in one query for all the contacts (the worker's triage batch brings many, and most
    people read nothing first); only those are updated."""
    contacts = sorted(contacts, key=lambda contact: contact.at)
    if not contacts:
        return 0
    users = {c.user_id for c in contacts if c.user_id is not None}
    visitors = {v for c in contacts for v in c.visitors}
    candidates = list(
        SelfServiceVisit.objects.filter(
            Q(user_id__in=users) | Q(visitor__in=visitors),
            contacted_at__isnull=True,
            last_at__lte=contacts[-1].at,
            last_at__gte=contacts[0].at - CONTACT_WINDOW,
        ).values_list("pk", "user_id", "visitor", "last_at")
    )
    claimed: dict[datetime, list[int]] = {}
    for contact in contacts:
        mine = {
            pk
            for pk, user_id, visitor, last_at in candidates
            if ((user_id is not None and user_id == contact.user_id) or visitor in contact.visitors)
            and contact.at - CONTACT_WINDOW <= last_at <= contact.at
        }
        claimed.setdefault(contact.at, []).extend(mine)
        candidates = [row for row in candidates if row[0] not in mine]
    for at, pks in claimed.items():
        SelfServiceVisit.objects.filter(pk__in=pks, contacted_at__isnull=True).update(
            contacted_at=at
        )
    return sum(len(pks) for pks in claimed.values())
