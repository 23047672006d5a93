"""The chat's link to the knowledge-base bot: what the bot says to a visitor, and when a person
takes over. (``kefu.knowledge.bot`` decides; this module adapts it to chat sessions.)"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kefu.channels.models import ChatSession
from kefu.knowledge.search import search_articles

HUMAN_WORDS = ("人工客服", "转人工", "人工", "human", "agent", "real person")
MAX_UNRESOLVED = 3
CONFIDENT = 0.35


@dataclass
class Answer:
    text: str
    resolved: bool
    handoff: str = ""  # why a person takes over; empty while the bot goes on
    articles: list[dict[str, str]] = field(default_factory=list)


def answer(session: ChatSession, text: str) -> Answer:
    lang = session.language
    with translation.override("zh-hans" if lang == "zh" else "en"):
        if any(word in text.lower() for word in HUMAN_WORDS):
            return Answer(_("I'm connecting you to a person now."), False, handoff="asked")
        hits = search_articles(text, lang=lang, limit=3)
        if not hits or hits[0].score < CONFIDENT:
            if session.unresolved_turns + 1 >= MAX_UNRESOLVED:
                return Answer(_("I'm connecting you to a person now."), False, handoff="unresolved")
            return Answer(
                _(
                    "I could not find an answer. Please tell us the order number, the problem, "
                    "what you want and by when."
                ),
                False,
            )
        links = [
            {"title": h.article.title, "slug": h.article.slug,
             "url": reverse("help_article", args=[h.article.slug])}
            for h in hits
        ]  # fmt: skip
        return Answer(_("These articles may help:"), True, articles=links)


def after_rating(session: ChatSession) -> None:
    """Unsatisfied customers get a QA review (escalation decides how)."""
