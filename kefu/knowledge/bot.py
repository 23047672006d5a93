"""The bot in front of every chat: answers from the knowledge base, or hands off to a person.

    reply(conversation, text) -> BotReply      # one visitor message
    greeting(language) -> BotReply             # the first message of a chat

``reply`` detects the visitor's language (``kefu.lib.language``: 12 languages; a message too
short to tell keeps the conversation's) and answers in it, from the articles in that language;
when none fits, from the English ones, saying so. It triages the message (the shipped
classifier and rules), searches the knowledge base and decides, in this order:

1. hand off when the visitor asks for a person, the triage says urgent or emergency, or the
   visitor is strongly upset;
2. ask for the structured template when the message is empty, emoji-only or a bare greeting;
3. answer with the best article when the confidence is high; offer the best articles (and the
   template, for a very short message) when it is middling;
4. hand off when the knowledge base has nothing relevant, or when this is the third turn in a
   row the bot could not resolve.

The decision logic lives in ``dialogue.py`` (pure); this module adds search, triage and texts.
The bot never claims to be a person, and its greeting and handoffs remind the visitor that
support never asks for passwords or verification codes.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from kefu.knowledge import dialogue, queries
from kefu.knowledge.dialogue import HandoffReason, Role, Turn, Vagueness
from kefu.knowledge.search import Hit, search_articles
from kefu.knowledge.text import plain_text
from kefu.lib.language import LANGUAGES, detect
from kefu.lib.masking import mask_sensitive
from kefu.triage.classifier import HANDOFF, Model, load_default
from kefu.triage.language import detect_language
from kefu.triage.rules import Rule, RuleContext, apply_rules, default_rules, load_rules

log = logging.getLogger(__name__)

# The bot's languages and the Django catalogue of each (kefu/locale; the site itself is zh/en).
REPLY_LANGUAGES = {code: "zh-hans" if code == "zh" else code for code in LANGUAGES}
FALLBACK_LANGUAGE = "en"  # the knowledge base is complete in English (and Chinese)


def chat_language(code: str) -> str:
    """A page's or browser's language ("es-MX", "zh-CN") as one of the bot's; else Chinese."""
    short = code[:2].lower()
    return short if short in REPLY_LANGUAGES else "zh"


OFFERED_ARTICLES = 3
ANSWER_CONFIDENCE = 0.6  # 9 in 10 answers right on bench/kb.py's questions
SUGGEST_CONFIDENCE = 0.25  # below this (or with almost no word in common) nothing is relevant
MIN_COVERAGE = 0.15
HANDOFF_INTENT = 0.6  # the classifier's probability that the message just asks for a person
EXCERPT_CHARS = 220
MAX_TEXT_CHARS = 2000


@dataclass(frozen=True)
class ArticleLink:
    slug: str
    language: str
    title: str
    url: str
    score: float

    @classmethod
    def of(cls, hit: Hit) -> ArticleLink:
        article = hit.article
        url = settings.SITE_URL.rstrip("/") + article.get_absolute_url()  # chats run on any site
        return cls(article.slug, article.language, article.title, url, hit.score)


@dataclass(frozen=True)
class Triage:
    """The message's triage, as the intake pipeline would compute it."""

    category: str
    confidence: float
    language: str
    priority: str = "normal"
    urgent: bool = False
    emergency: bool = False
    rules: tuple[str, ...] = ()  # codes of the rules that fired
    handoff_intent: float = 0.0  # the classifier's probability of "just give me a person"


@dataclass(frozen=True)
class Handoff:
    reason: HandoffReason
    reason_text: str  # the reason in the reply's language, for the agent console
    summary: str  # the visitor's latest messages, one per line
    transcript: tuple[Turn, ...]  # the whole conversation including this message
    triage: Triage  # of everything the visitor wrote

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class BotReply:
    kind: str  # "greeting" | "answer" | "suggest" | "clarify" | "handoff"
    text: str  # plain text, in ``reply_language``
    language: str  # the visitor's language as detected (one of REPLY_LANGUAGES)
    reply_language: str  # the language of ``text``: the visitor's
    articles_language: str = ""  # of ``articles``: the visitor's, or English when none fitted
    confidence: float = 0.0  # that ``articles[0]`` answers the question
    articles: tuple[ArticleLink, ...] = ()
    needs_template: bool = False  # the text asks for order number, problem, wish, deadline
    handoff: Handoff | None = None
    triage: Triage | None = None

    @property
    def resolved(self) -> bool:
        """Whether the bot answered; three unresolved turns in a row hand off."""
        return self.kind == "answer"

    def as_turn(self) -> Turn:
        """This reply as a turn of the conversation, to pass to the next ``reply``."""
        return Turn(Role.BOT, self.text, self.resolved)


# --- texts ------------------------------------------------------------------------------------


def _security_reminder() -> str:
    return _(
        "Reminder: Kefu support never asks for your password, bank PIN or verification codes. "
        "Do not share them with anyone, including us."
    )


def _template_request() -> str:
    return _(
        "To help you quickly, please tell me:\n"
        "1. the order number (if there is one)\n"
        "2. the type of problem (payment, delivery, refund, account…)\n"
        "3. what you would like us to do\n"
        "4. by when you need it"
    )


def _handoff_text(reason: HandoffReason) -> str:
    texts = {
        HandoffReason.REQUESTED: _("Sure, I am passing you to our support team."),
        HandoffReason.URGENT: _("This sounds urgent, so I am passing you to our support team now."),
        HandoffReason.NEGATIVE_SENTIMENT: _(
            "I am sorry this has been frustrating. I am passing you to our support team."
        ),
        HandoffReason.UNRESOLVED: _(
            "I could not solve this for you, so I am passing you to our support team."
        ),
        HandoffReason.NO_ANSWER: _(
            "I could not find an answer in our help centre, "
            "so I am passing you to our support team."
        ),
    }
    return texts[reason]


def reason_label(reason: HandoffReason) -> str:
    """Why the bot handed off, for the agent console (in the active language)."""
    labels = {
        HandoffReason.REQUESTED: _("Visitor asked for a person"),
        HandoffReason.URGENT: _("Urgent or emergency"),
        HandoffReason.NEGATIVE_SENTIMENT: _("Visitor is upset"),
        HandoffReason.UNRESOLVED: _("Bot could not resolve it in 3 turns"),
        HandoffReason.NO_ANSWER: _("No matching help article"),
    }
    return labels[reason]


def _fallback_note() -> str:
    return _("I found no article in your language for this, so here are articles in English.")


def _article_lines(articles: Sequence[ArticleLink]) -> list[str]:
    return [f"• {link.title} {link.url}" for link in articles]


def greeting(language: str = "zh") -> BotReply:
    """The bot's first message: who it is (a bot), how to reach a person, the reminder."""
    reply_language = language if language in REPLY_LANGUAGES else FALLBACK_LANGUAGE
    with translation.override(REPLY_LANGUAGES[reply_language]):
        text = "\n".join(
            (
                _(
                    "Hello! I am Kefu's automated assistant (a bot). Ask me a question; "
                    "type “人工客服” or “agent” at any time to reach a person."
                ),
                _security_reminder(),
            )
        )
    return BotReply("greeting", text, language, reply_language)


# --- triage -----------------------------------------------------------------------------------


@cache
def _rules() -> tuple[Rule, ...]:
    return tuple(load_rules(default_rules()))


@cache
def _model() -> Model | None:
    try:
        return load_default()
    except (OSError, ValueError):
        log.exception("No triage model: the bot decides without category or handoff intent")
        return None


def triage(text: str) -> Triage:
    """Category, urgency and language of ``text``: rules before and after the classifier."""
    rules = _rules()
    context = RuleContext(text=text, channel="chat")
    before = apply_rules(rules, context, "before")
    model = _model()
    prediction = model.predict(text) if model else None
    category = before.category or (prediction.ticket_category if prediction else "other")
    outcome = before.merge(apply_rules(rules, replace(context, category=category), "after"))
    confidence = 1.0 if before.category else (prediction.ticket_confidence if prediction else 0.0)
    intent = prediction.probabilities.get(HANDOFF, 0.0) if prediction else 0.0
    return Triage(
        category=outcome.category or category,
        confidence=round(confidence, 4),
        language=detect_language(text),
        priority=outcome.priority or "normal",
        urgent=outcome.urgent,
        emergency=outcome.emergency,
        rules=outcome.fired,
        handoff_intent=round(intent, 4),
    )


# --- answering --------------------------------------------------------------------------------


def answer_confidence(hits: Sequence[Hit], category: str) -> float:
    """How likely the first hit answers the question, from 0 to 1.

    A logistic function of the search score, the share of the question's words the article
    contains, the lead over the runner-up and whether the article's category is the triage's.
    The weights come from a logistic regression on bench/kb.py's questions plus 28 off-topic
    ones, rounded; at ANSWER_CONFIDENCE, 161 of 175 answers name the expected article.
    """
    if not hits:
        return 0.0
    top = hits[0]
    margin = min(0.3, top.score - (hits[1].score if len(hits) > 1 else 0.0))
    agrees = 1.0 if top.article.category_id == category else 0.0
    logit = -2.4 + 1.0 * top.score + 4.0 * top.coverage + 8.0 * margin + 0.9 * agrees
    return round(1 / (1 + math.exp(-logit)), 4)


def _in_english(text: str) -> list[Hit]:
    """The best articles in any language, one per slug, shown in their English version (those
    without one are left out): a question whose language has no fitting article may still
    share words (names, "API", "webhook") with an article of another language."""
    hits, seen = [], set()
    for hit in search_articles(text, None, OFFERED_ARTICLES * 2):
        if hit.article.slug not in seen:
            seen.add(hit.article.slug)
            hits.append(hit)
    translated = queries.published().filter(
        language=FALLBACK_LANGUAGE, slug__in=[hit.article.slug for hit in hits]
    )
    by_slug = {article.slug: article for article in translated}
    in_english = [
        replace(hit, article=by_slug[hit.article.slug])
        for hit in hits
        if hit.article.slug in by_slug
    ]
    return in_english[:OFFERED_ARTICLES]


@dataclass(frozen=True)
class _Decision:
    kind: str
    triage: Triage
    hits: tuple[Hit, ...] = ()
    confidence: float = 0.0
    needs_template: bool = False
    reason: HandoffReason | None = None
    in_english: bool = False  # the hits are English articles: none in the visitor's fitted


def _search(text: str, language: str, category: str) -> tuple[tuple[Hit, ...], float, bool]:
    """(hits, confidence, in English): the visitor's language first. A language with only the
    most-asked articles and no confident answer among them gets the English articles instead
    when those fit better and the best of them is not among the visitor's already."""
    hits = tuple(search_articles(text, language, OFFERED_ARTICLES))
    confidence = answer_confidence(hits, category)
    if language in ("zh", FALLBACK_LANGUAGE) or confidence >= ANSWER_CONFIDENCE:
        return hits, confidence, False
    english = tuple(_in_english(text))
    english_confidence = answer_confidence(english, category)
    translated = {hit.article.slug for hit in hits}
    better = _worth_suggesting(english, english_confidence) and english_confidence > confidence
    if better and english[0].article.slug not in translated:
        return english, english_confidence, True
    return hits, confidence, False


def _worth_suggesting(hits: Sequence[Hit], confidence: float) -> bool:
    return bool(hits) and confidence >= SUGGEST_CONFIDENCE and hits[0].coverage >= MIN_COVERAGE


def _decide(text: str, language: str, streak: int) -> _Decision:
    now = triage(text)
    if dialogue.asks_for_person(text):
        return _Decision("handoff", now, reason=HandoffReason.REQUESTED)
    vague = dialogue.vagueness(text)
    searchable = vague in (None, Vagueness.TOO_SHORT)
    hits, confidence, in_english = (
        _search(text, language, now.category) if searchable else ((), 0.0, False)
    )
    decision = _Decision(
        "suggest", now, hits, confidence, needs_template=vague is not None, in_english=in_english
    )
    if now.urgent or now.emergency:
        return replace(decision, kind="handoff", reason=HandoffReason.URGENT)
    if dialogue.is_strongly_negative(text):
        return replace(decision, kind="handoff", reason=HandoffReason.NEGATIVE_SENTIMENT)
    # The classifier also flags questions that merely mention support staff ("support asked
    # me for the console log"); a confident article beats it.
    if now.handoff_intent >= HANDOFF_INTENT and confidence < ANSWER_CONFIDENCE:
        return replace(decision, kind="handoff", reason=HandoffReason.REQUESTED)
    decision = _without_escalation(decision, vague)
    if decision.kind != "answer" and streak + 1 >= dialogue.MAX_UNRESOLVED_TURNS:
        return replace(decision, kind="handoff", reason=HandoffReason.UNRESOLVED)
    return decision


def _without_escalation(decision: _Decision, vague: Vagueness | None) -> _Decision:
    """Answer, suggest, ask for details, or admit the knowledge base has nothing."""
    if vague is None and decision.confidence >= ANSWER_CONFIDENCE:
        return replace(decision, kind="answer")
    if _worth_suggesting(decision.hits, decision.confidence):
        return decision
    if vague is None:
        return replace(decision, kind="handoff", reason=HandoffReason.NO_ANSWER)
    return replace(decision, kind="clarify", hits=(), needs_template=True)


# --- composing the reply ----------------------------------------------------------------------


def _excerpt(hit: Hit) -> str:
    """The article's opening paragraph, cut at a readable length."""
    opening = plain_text(hit.article.body).split("\n", 1)[0]
    return opening if len(opening) <= EXCERPT_CHARS else opening[: EXCERPT_CHARS - 1] + "…"


def _follow_up() -> str:
    return _("Did this solve your problem? If not, tell me more, or type “人工客服” or “agent”.")


def _answer_text(links: Sequence[ArticleLink], hit: Hit) -> list[str]:
    lines = [_("This article should answer your question:"), links[0].title, _excerpt(hit)]
    lines.append(links[0].url)
    if len(links) > 1:
        lines += [_("Related articles:"), *_article_lines(links[1:])]
    return [*lines, _follow_up()]


def _body(decision: _Decision, links: Sequence[ArticleLink]) -> list[str]:
    if decision.kind == "answer":
        return _answer_text(links, decision.hits[0])
    if decision.kind == "suggest":
        lines = [_("I am not sure I understood. These articles may help:"), *_article_lines(links)]
        return [*lines, _template_request()] if decision.needs_template else [*lines, _follow_up()]
    if decision.kind == "clarify":
        return [_("Could you describe your question in a sentence or two?"), _template_request()]
    assert decision.reason is not None
    lines = [
        _handoff_text(decision.reason),
        _("Please wait a moment: a member of our team will read this conversation and reply here."),
    ]
    if links:
        lines += [_("While you wait, these articles may help:"), *_article_lines(links)]
    return [*lines, _security_reminder()]


def _shown_links(decision: _Decision) -> tuple[ArticleLink, ...]:
    """Articles the reply offers; an upset visitor or a plain request for a person gets none."""
    if decision.kind == "handoff" and decision.reason != HandoffReason.URGENT:
        return ()
    return tuple(ArticleLink.of(hit) for hit in decision.hits[:OFFERED_ARTICLES])


def _handoff(turns: Sequence[Turn], text: str, reason: HandoffReason) -> Handoff:
    said = " ".join([*(t.text for t in turns if t.role == Role.VISITOR), text])
    summary = mask_sensitive(dialogue.summary(turns, text)).text
    transcript = (*turns, Turn(Role.VISITOR, text))
    return Handoff(reason, reason_label(reason), summary, transcript, triage(said))


def visitor_language(turns: Sequence[Turn], text: str, known: str | None) -> str:
    """The language to answer in: the text's; a text too short to tell (emoji, "ok", an order
    number) keeps the language of the visitor's earlier messages, else ``known`` (the page's),
    else its script's ("hi" is English), else Chinese."""
    language = detect(text) or dialogue.visitor_language(turns, lambda t: detect(t) or "und")
    script = detect_language(text)
    language = language or known or (script if script != "und" else "zh")
    return language if language in REPLY_LANGUAGES else FALLBACK_LANGUAGE


def reply(
    conversation: Sequence[Turn | Mapping[str, object]],
    text: str,
    *,
    language: str | None = None,
    unresolved_turns: int | None = None,
) -> BotReply:
    """The bot's reply to the visitor's new message ``text``.

    ``conversation``: the turns so far (``Turn`` or dicts ``{"role", "text", "resolved"}``;
    pass ``BotReply.as_turn()`` for the bot's own). ``language``: the visitor's known language
    (the page's), used when the text is too short to tell. ``unresolved_turns``: the caller's
    count of unresolved bot turns in a row, if it keeps one; otherwise it is read from the turns.
    """
    turns = tuple(Turn.of(item) for item in conversation)
    text = text.strip()[:MAX_TEXT_CHARS]
    reply_language = visitor_language(turns, text, language)
    if unresolved_turns is None:
        unresolved_turns = dialogue.unresolved_streak(turns, text)
    with translation.override(REPLY_LANGUAGES[reply_language]):
        decision = _decide(text, reply_language, unresolved_turns)
        links = _shown_links(decision)
        lines = _body(decision, links)
        if decision.in_english and links:
            lines.insert(0, _fallback_note())
        first = not any(t.role == Role.BOT for t in turns)
        if first and decision.kind != "handoff":  # handoffs carry the reminder already
            lines.append(_security_reminder())
        handoff = _handoff(turns, text, decision.reason) if decision.reason else None
    return BotReply(
        kind=decision.kind,
        text="\n".join(lines),
        language=reply_language,
        reply_language=reply_language,
        articles_language=FALLBACK_LANGUAGE if decision.in_english else reply_language,
        confidence=decision.confidence,
        articles=links,
        needs_template=decision.needs_template,
        handoff=handoff,
        triage=decision.triage,
    )
