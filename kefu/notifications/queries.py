"""Reads of notifications: one person's own, never anyone else's."""

from __future__ import annotations

from django.db.models import QuerySet

from kefu.accounts.models import User
from kefu.notifications.models import Notification, Preference
from kefu.notifications.preferences import Channels, default, kinds_for


def browser_alert(user: User) -> Notification | None:
    """The newest unread notification of a kind ``user`` wants as a browser notification."""
    kinds = Preference.objects.filter(user=user, browser=True).values_list("kind", flat=True)
    return inbox(user, unread_only=True).filter(kind__in=kinds).order_by("-id").first()


def inbox(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    found = Notification.objects.filter(recipient=user).select_related("ticket")
    return found.filter(read_at__isnull=True) if unread_only else found


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preferences(user: User) -> dict[str, Channels]:
    """Every kind that concerns ``user``, with the channels that apply now."""
    chosen = {
        p.kind: Channels(p.in_app, p.email, p.browser) for p in Preference.objects.filter(user=user)
    }
    return {kind: chosen.get(kind, default(kind)) for kind in kinds_for(user)}
