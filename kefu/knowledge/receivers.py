"""Signals the knowledge base listens to: a reader who signs in claims their earlier reading, so
a ticket they then open counts against it (deflection)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest

from kefu.knowledge import actions


def on_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    visitor = session.get("kb_visitor") if session is not None else None
    if visitor:
        actions.claim_visits(visitor=str(visitor), user_id=user.pk)


def connect() -> None:
    user_logged_in.connect(on_sign_in, dispatch_uid="kefu-knowledge-claim-reading")
