"""``{% load notification_tags %}``: a notification's sentence and link, the unread badge."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.urls import reverse

from kefu.notifications import queries
from kefu.notifications.models import Notification
from kefu.notifications.texts import notification_text

register = template.Library()


@register.filter
def notification(value: Notification) -> str:
    return notification_text(value)


@register.simple_tag(takes_context=True)
def notification_url(context: Any, value: Notification) -> str:
    if value.ticket is None:
        return ""
    staff = getattr(context["request"].user, "agent", None) is not None
    return reverse("desk_ticket" if staff else "portal_ticket", args=[value.ticket.number])


@register.inclusion_tag("notifications/_badge.html", takes_context=True)
def notification_badge(context: Any) -> dict[str, Any]:
    return badge_context(context["request"])


def badge_context(request: HttpRequest) -> dict[str, Any]:
    """The unread count, and the newest notification the person wants in the browser (its
    sentence and link; ``notify.js`` shows it once, when it is new)."""
    user = request.user
    if not user.is_authenticated:
        return {"unread": 0, "alert": None}
    alert = queries.browser_alert(user)  # type: ignore[arg-type]
    found = None
    if alert is not None:
        text = notification_text(alert)
        url = notification_url({"request": request}, alert) or reverse("notifications")
        found = {"id": alert.pk, "text": text, "url": url}
    return {"unread": queries.unread_count(user), "alert": found}  # type: ignore[arg-type]
