"""Knowledge-base articles: one row per (slug, language); the shared slug links translations."""

from __future__ import annotations

import hashlib
import re

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kefu.tickets.models import Category

_KEYWORD_SEPARATORS = re.compile(r"[,，、;；\n]")


class Language(models.TextChoices):
    """The help centre's languages: the full knowledge base in Chinese and English, the most-asked
    articles in ten more (the bot answers in all 12). The site itself stays Chinese/English."""

    ZH = "zh", _("Chinese")
    EN = "en", _("English")
    ES = "es", _("Spanish")
    RU = "ru", _("Russian")
    PT = "pt", _("Portuguese")
    FR = "fr", _("French")
    AR = "ar", _("Arabic")
    KO = "ko", _("Korean")
    JA = "ja", _("Japanese")
    DE = "de", _("German")
    IT = "it", _("Italian")
    TR = "tr", _("Turkish")


RTL_LANGUAGES = frozenset({"ar"})


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


def split_keywords(text: str) -> list[str]:
    """Keywords as typed in the admin: separated by commas (either width), 、 or semicolons."""
    return [item.strip() for item in _KEYWORD_SEPARATORS.split(text) if item.strip()]


def content_hash(*, title: str, body: str, category: str, keywords: str) -> str:
    """A fingerprint of what an editor can change, to tell shipped text from local edits."""
    text = "\x1f".join((title, body, category, ", ".join(split_keywords(keywords))))
    return hashlib.sha256(text.encode()).hexdigest()


class Article(models.Model):
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        help_text=_("Shared by the translations of the same article."),
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body (Markdown)"))
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        to_field="code",
        on_delete=models.PROTECT,
        related_name="articles",
    )
    keywords = models.TextField(
        _("keywords"),
        blank=True,
        help_text=_("Words customers use for this topic, in either language, comma-separated."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    helpful_count = models.PositiveIntegerField(_("helpful votes"), default=0)
    not_helpful_count = models.PositiveIntegerField(_("not helpful votes"), default=0)
    # The fingerprint of the shipped file this row was last loaded from; when the row still
    # matches it, nobody edited the article and a newer shipped version may replace it.
    shipped_hash = models.CharField(_("shipped version"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["category__sort_order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="knowledge_article_slug_lang")
        ]
        indexes = [models.Index(fields=["language", "status"], name="knowledge_article_lang_st")]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    def get_absolute_url(self) -> str:
        return f"{reverse('help_article', args=[self.slug])}?lang={self.language}"

    @property
    def keyword_list(self) -> list[str]:
        return split_keywords(self.keywords)

    @property
    def direction(self) -> str:
        """The text direction of the article's language: "rtl" for Arabic, else "ltr"."""
        return "rtl" if self.language in RTL_LANGUAGES else "ltr"

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED

    @property
    def content_hash(self) -> str:
        return content_hash(
            title=self.title, body=self.body, category=self.category_id, keywords=self.keywords
        )


class SelfServiceVisit(models.Model):
    """A person helping themselves: one visitor's help-centre reading on one day (Asia/Shanghai),
    or one chat in which the bot answered from an article. ``contacted_at`` is set when the same
    person then opened a ticket or was handed to an agent within ``CONTACT_WINDOW`` of the last
    article; a visit never followed by a contact was deflected (``kefu.reports.deflection``).

    The visitor is a random id kept in the browser's session (``help:…``), or the chat
    (``chat:<id>``); ``user`` is the signed-in person, set at sign-in for earlier reading too, so
    a ticket opened after signing in counts as a contact. Mail and chats from visitors who never
    sign in cannot be tied to their reading: those visits count as deflected.
    """

    class Source(models.TextChoices):
        HELP_CENTRE = "help", _("Help centre")
        BOT = "bot", _("Chat bot")

    visitor = models.CharField(max_length=64)
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=4, choices=Source.choices)
    language = models.CharField(max_length=2)
    day = models.DateField()
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    articles = models.PositiveIntegerField(default=1)
    contacted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visitor", "day"], name="self_service_visitor_day")
        ]
        indexes = [
            models.Index(fields=["day"], name="self_service_day"),
            models.Index(fields=["user", "last_at"], name="self_service_user_last"),
        ]

    def __str__(self) -> str:
        return f"{self.visitor} {self.day}"
