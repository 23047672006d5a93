"""The chat's link to the knowledge-base bot (``kefu.knowledge.bot`` decides what to say and
when a person takes over). Ratings at the end of a chat are kept by ``kefu.ratings``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kefu.intake.models import ChatSession
from kefu.knowledge import bot
from kefu.knowledge.dialogue import Role, Turn
from kefu.tickets.models import Message

ROLES: dict[str, Role] = {
    Message.AuthorRole.CUSTOMER: Role.VISITOR,
    Message.AuthorRole.BOT: Role.BOT,
    Message.AuthorRole.AGENT: Role.AGENT,
    Message.AuthorRole.SYSTEM: Role.SYSTEM,
}


@dataclass
class Answer:
    text: str
    resolved: bool
    language: str  # of the text: the visitor's, as the bot detected it
    handoff: str = ""  # why a person takes over; empty while the bot goes on
    handoff_details: dict[str, Any] = field(default_factory=dict)  # transcript and triage
    articles: list[dict[str, str]] = field(default_factory=list)


def _conversation(session: ChatSession, latest: str) -> list[Turn]:
    """The chat so far, without the visitor's latest line (the bot gets that separately)."""
    if session.ticket_id is None:
        return []
    messages = list(
        Message.objects.filter(ticket_id=session.ticket_id, is_internal=False)
        .order_by("pk")
        .values_list("author_role", "body")
    )
    if messages and messages[-1] == (Message.AuthorRole.CUSTOMER, latest):
        messages.pop()
    return [Turn(ROLES.get(role, Role.SYSTEM), body) for role, body in messages]


def answer(session: ChatSession, text: str) -> Answer:
    reply = bot.reply(
        _conversation(session, text),
        text,
        language=session.language,
        unresolved_turns=session.unresolved_turns,
    )
    links = [{"title": a.title, "slug": a.slug, "url": a.url} for a in reply.articles]
    if reply.handoff is None:
        return Answer(reply.text, reply.resolved, reply.reply_language, articles=links)
    details = {
        "reason": str(reply.handoff.reason),
        "reason_text": reply.handoff.reason_text,
        "summary": reply.handoff.summary,
        "triage": reply.handoff.as_dict()["triage"],
    }
    return Answer(
        reply.text,
        False,
        reply.reply_language,
        handoff=str(reply.handoff.reason),
        handoff_details=details,
        articles=links,
    )
