from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kefu.knowledge.models import Article, ArticleStatus
from kefu.knowledge.rendering import render_markdown


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title", "slug", "language", "category", "status", "helpful_count", "not_helpful_count",
        "updated_at",
    ]  # fmt: skip
    list_filter = ["status", "language", "category"]
    search_fields = ["title", "slug", "keywords"]
    readonly_fields = ["preview", "helpful_count", "not_helpful_count", "created_at", "updated_at"]
    fields = [
        "slug", "language", "title", "category", "keywords", "status", "body", "preview",
        "helpful_count", "not_helpful_count", "created_at", "updated_at",
    ]  # fmt: skip
    actions = ["publish", "unpublish"]

    @admin.display(description=_("preview"))
    def preview(self, article: Article) -> SafeString:
        if not article.body:
            return mark_safe("—")
        # render_markdown sanitises with nh3, so its output is safe to show as HTML.
        return format_html(
            '<div class="kb-preview">{}</div>', mark_safe(render_markdown(article.body))
        )

    def _set_status(self, request: HttpRequest, articles: QuerySet[Article], status: str) -> None:
        # save() per article rather than update(): it moves updated_at, which tells every
        # process's search index to rebuild.
        changed = 0
        for article in articles.exclude(status=status):
            article.status = status
            article.save(update_fields=["status", "updated_at"])
            changed += 1
        message = ngettext("%(n)d article changed.", "%(n)d articles changed.", changed)
        self.message_user(request, message % {"n": changed}, messages.SUCCESS)

    @admin.action(description=_("Publish the selected articles"))
    def publish(self, request: HttpRequest, articles: QuerySet[Article]) -> None:
        self._set_status(request, articles, ArticleStatus.PUBLISHED)

    @admin.action(description=_("Unpublish the selected articles (back to draft)"))
    def unpublish(self, request: HttpRequest, articles: QuerySet[Article]) -> None:
        self._set_status(request, articles, ArticleStatus.DRAFT)
