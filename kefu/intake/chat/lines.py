"""A chat's lines as the widget and the console show them, and the group that carries them.

A line's files carry a signed link (``file_url``) that opens only that file: the widget's
visitor has no session to show, and the link names nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.urls import reverse

from kefu.tickets.models import Attachment, Message

FILE_SALT = "kefu.chat.file"


def file_url(attachment: Attachment) -> str:
    token = signing.dumps(attachment.pk, salt=FILE_SALT)
    return reverse("chat_file", args=[token, attachment.filename])


def signed_attachment_id(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=FILE_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


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
    files: list[dict[str, Any]] = field(default_factory=list)  # name, url, image

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
            files=[
                {
                    "name": a.filename,
                    "url": file_url(a),
                    "image": a.content_type.startswith("image/"),
                }
                for a in message.attachments.all()
            ],
            **extra,
        )
