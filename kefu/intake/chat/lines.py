"""A chat's lines as the widget and the console show them, and the group that carries them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kefu.tickets.models import Message


def session_group(session_id: int) -> str:
    """The channel-layer group of a chat: its visitor's widget and its agent's console."""
    return f"chat.session.{session_id}"


@dataclass
class Line:
    """One message as the widget and the console show it."""

    seq: int
    author: str  # visitor | bot | agent | system
    text: str
    at: str
    agent: str = ""
    client_id: str = ""
    articles: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def of(cls, message: Message, client_id: str = "", **extra: Any) -> Line:
        role = message.author_role
        author = "visitor" if role == Message.AuthorRole.CUSTOMER else role
        agent = (
            getattr(getattr(message.author, "agent", None), "code", "") if message.author else ""
        )
        return cls(
            seq=message.pk,
            author=author,
            text=message.body,
            at=message.created_at.isoformat(),
            agent=agent,
            client_id=client_id,
            **extra,
        )
