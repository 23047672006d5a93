"""The public help centre: articles by category, search with snippets, articles and votes."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.knowledge import actions, queries
from kefu.knowledge.models import Article
from kefu.knowledge.rendering import render_markdown
from kefu.knowledge.search import Hit, search_articles

SEARCH_RESULTS = 20
RELATED_ARTICLES = 3
SESSION_VOTES = "kb_votes"  # ids of the articles this session has voted on
SESSION_VISITOR = "kb_visitor"  # a random id for this browser's reading (deflection)


def visitor_of(request: HttpRequest) -> str:
    """This browser's reader id, made on its first article (kept across sign-in)."""
    visitor = request.session.get(SESSION_VISITOR)
    if not visitor:
        visitor = request.session[SESSION_VISITOR] = f"help:{secrets.token_urlsafe(16)}"
    return str(visitor)


def help_index(request: HttpRequest) -> HttpResponse:
    """Topics in the site's language, or only the articles of the language picked (``?lang=``)."""
    picked = request.GET.get("lang", "")
    picked = picked if picked in queries.LANGUAGES else ""
    lang = picked or queries.current_language()
    query = request.GET.get("q", "").strip()[:200]
    context: dict[str, object] = {
        "query": query, "lang": lang, "picked": picked, "languages": queries.LANGUAGE_NAMES,
    }  # fmt: skip
    if query:
        hits = search_articles(query, lang, SEARCH_RESULTS)
        # Nothing in the reader's language: the other language may still have the answer.
        context["other_language"] = not hits
        context["hits"] = hits or search_articles(
            query, queries.other_language(lang), SEARCH_RESULTS
        )
    else:
        context["sections"] = queries.sections(lang, only=bool(picked))
    return render(request, "knowledge/help_index.html", context)


def _related(article: Article) -> list[Hit]:
    query = f"{article.title} {' '.join(article.keyword_list[:5])}"
    hits = search_articles(query, article.language, RELATED_ARTICLES + 1)
    return [hit for hit in hits if hit.article.pk != article.pk][:RELATED_ARTICLES]


def help_article(request: HttpRequest, slug: str) -> HttpResponse:
    wanted = request.GET.get("lang") or queries.current_language()
    found = queries.find_article(slug, wanted if wanted in queries.LANGUAGES else "en")
    if found is None:
        raise Http404
    article = found.article
    user = request.user
    actions.record_reading(
        visitor=visitor_of(request), user_id=user.pk if user.is_authenticated else None,
        source="help", language=article.language, at=timezone.now(),
    )  # fmt: skip
    context = {
        "article": article,
        "body_html": render_markdown(article.body),
        "is_fallback": found.is_fallback,
        "has_translation": queries.has_translation(article),
        "other_language": queries.other_language(article.language),
        "voted": article.pk in request.session.get(SESSION_VOTES, []),
        "related": _related(article),
    }
    return render(request, "knowledge/help_article.html", context)


@require_POST
def help_vote(request: HttpRequest, slug: str) -> HttpResponse:
    """One helpful / not-helpful vote per session and article; later votes change nothing."""
    lang = request.POST.get("lang", "")
    article = queries.published().filter(slug=slug, language=lang).first()
    if article is None:
        raise Http404
    voted: list[int] = request.session.get(SESSION_VOTES, [])
    if article.pk not in voted:
        actions.record_vote(article=article, helpful=request.POST.get("helpful") == "yes")
        request.session[SESSION_VOTES] = [*voted, article.pk]
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "knowledge/_vote.html", {"article": article, "voted": True})
    messages.success(request, _("Thank you for your feedback."))
    return redirect(article.get_absolute_url())
