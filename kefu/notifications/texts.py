"""What notifications say, in the reader's language.

Notifications store a kind and raw parameters; the sentence is made when someone reads it, so
each reader gets their own language and time zone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from kefu.notifications.models import Kind, Notification
from kefu.sla.models import Metric

TEXTS: dict[str, Any] = {
    Kind.SLA_WARNING: gettext_lazy("%(number)s: %(metric)s is due at %(due)s."),
    Kind.SLA_BREACH: gettext_lazy("%(number)s: %(metric)s was due at %(due)s and is overdue."),
    Kind.URGENT: gettext_lazy("%(number)s was marked urgent: %(subject)s"),
    Kind.EMERGENCY: gettext_lazy("Emergency %(number)s: %(subject)s"),
    Kind.PAGE: gettext_lazy("You are the on-duty lead for emergency %(number)s: %(subject)s"),
    Kind.ESCALATED: gettext_lazy("%(number)s was escalated to you: %(subject)s"),
    Kind.SURGE: gettext_lazy(
        "Surge: %(count)s %(category)s tickets within %(minutes)s minutes; "
        "incident %(number)s is yours."
    ),
    Kind.NUDGE: gettext_lazy("The customer nudged %(number)s: no update for 24 hours."),
    Kind.COMPLAINT: gettext_lazy("Formal complaint %(complaint)s about %(number)s."),
    Kind.QA_REVIEW: gettext_lazy("QA review of %(number)s due %(due)s: %(reason)s"),
    Kind.QA_OVERDUE: gettext_lazy("QA review of %(number)s is overdue (it was due %(due)s)."),
    Kind.QA_RESULT: gettext_lazy("QA reviewed your handling of %(number)s: %(score)s%%."),
    Kind.QA_APPEAL: gettext_lazy("%(agent)s appealed the QA review of %(number)s."),
    Kind.ASSIGNED: gettext_lazy("%(number)s was assigned to you: %(subject)s"),
    Kind.CUSTOMER_REPLY: gettext_lazy("The customer wrote on %(number)s: %(subject)s"),
    Kind.UNSATISFIED: gettext_lazy(
        "%(number)s was rated unsatisfied; a QA review is open: %(comment)s"
    ),
    Kind.AGENT_REPLY: gettext_lazy("Support replied on %(number)s: %(subject)s"),
    Kind.PENDING: gettext_lazy("Support needs your answer on %(number)s: %(subject)s"),
    Kind.RESOLVED: gettext_lazy(
        "%(number)s was resolved. Confirm it, or reopen it if the problem remains."
    ),
    Kind.REOPENED: gettext_lazy("%(number)s was reopened: %(subject)s"),
    Kind.MERGED: gettext_lazy(
        "%(number)s was merged into %(into)s; the conversation goes on there."
    ),
    Kind.CLOSE_SOON: gettext_lazy(
        "%(number)s closes by itself at %(when)s unless you reopen it: %(subject)s"
    ),
    Kind.AUTO_CLOSED: gettext_lazy(
        "%(number)s was closed: you did not answer after it was resolved. %(subject)s"
    ),
    Kind.CLOSED: gettext_lazy("%(number)s was closed at your confirmation: %(subject)s"),
    Kind.WEBHOOK_DISABLED: gettext_lazy(
        "Your webhook to %(url)s failed for a day and was disabled: %(error)s"
    ),
}


def format_instant(value: datetime | str | None) -> str:
    """``2026-11-24 14:00 (UTC+08:00)`` in the site's zone: unambiguous for any reader."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is None:
        return "—"
    local = timezone.localtime(value)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} (UTC{offset[:3]}:{offset[3:]})"


def _bilingual(value: Any) -> Any:
    if isinstance(value, dict) and {"en", "zh"} <= value.keys():
        return value["zh"] if (get_language() or "").startswith("zh") else value["en"]
    return value


def _param(key: str, value: Any) -> Any:
    if key in ("due", "when") and value:
        return format_instant(value)
    if key == "metric" and value in Metric.values:
        return Metric(value).label
    return _bilingual(value)


def notification_text(notification: Notification) -> str:
    return render(notification.kind, notification.params)


def render(kind: str, params: dict[str, Any]) -> str:
    values = {key: _param(key, value) for key, value in params.items()}
    template = TEXTS.get(kind)
    if template is None:
        return str(values.get("number", kind))
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return f"{Kind(kind).label}: {values.get('number', '')}"


def email_subject(kind: str, params: dict[str, Any]) -> str:
    return _("[Kefu] %(text)s") % {"text": render(kind, params)}


def ticket_link(number: str, *, staff: bool = True) -> str:
    path = f"/desk/t/{number}/" if staff else f"/portal/t/{number}/"
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def unknown_kind_error(kind: str) -> str:
    return _("There is no notification “%(kind)s” for you.") % {"kind": kind}
