"""``{% load notification_tags %}``: a notification's sentence and link, the unread badge."""

from __future__ import annotations

from typing import Any

from django import template
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
def notification_badge(context: Any) -> dict[str, int]:
    user = context["request"].user
    return {"unread": queries.unread_count(user) if user.is_authenticated else 0}
