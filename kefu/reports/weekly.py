"""The weekly summary mailed to each lead on Monday morning (Asia/Shanghai): last week's
figures for their teams beside the week before, through the outbox."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from kefu.accounts.access import viewer_for
from kefu.accounts.models import Agent
from kefu.delivery.email import django_language, queue_email
from kefu.delivery.models import Delivery
from kefu.escalation.queries import leads
from kefu.jobs.sweepers import Sweeper
from kefu.reports import dashboard, figures
from kefu.reports.facts import SHANGHAI
from kefu.reports.figures import Filters, Period
from kefu.reports.models import ReportSettings
from kefu.reports.templatetags.report_tags import figure

SEND_AT = time(9)


def next_monday(after: datetime) -> datetime:
    local = after.astimezone(SHANGHAI)
    monday = local.date() + timedelta(days=(7 - local.weekday()) % 7 or 7)
    return datetime.combine(monday, SEND_AT, tzinfo=SHANGHAI)


def last_week(now: datetime) -> Period:
    today = now.astimezone(SHANGHAI).date()
    monday = today - timedelta(days=today.weekday())
    return Period(monday - timedelta(days=7), monday - timedelta(days=1))


def _text(lead: Agent, period: Period) -> tuple[str, str]:
    viewer = viewer_for(lead.user)
    data = {"summary": figures.summary(viewer, period, Filters())}
    previous = _("previous period")
    lines = [f"{label}: {_show(now, kind)} ({previous}: {_show(before, kind)})"
             for label, now, before, kind in dashboard.summary_rows(data)]  # fmt: skip
    subject = _("Kefu weekly summary %(first)s – %(last)s") % {
        "first": period.first, "last": period.last}  # fmt: skip
    return subject, "\n".join([subject, "", *lines])


def _show(value: object, kind: str) -> str:
    """A figure as the dashboard shows it: rates as percentages, seconds as durations."""
    return figure(value, kind)


def send_summaries(*, now: datetime) -> list[Delivery]:
    period = last_week(now)
    sent = []
    for lead in leads():
        with translation.override(django_language(lead.user.lang)):
            subject, text = _text(lead, period)
        sent.append(queue_email(to=[lead.user.email], subject=subject, text=text,
                                kind=Delivery.Kind.NOTIFICATION))  # fmt: skip
    return sent


def next_due() -> datetime | None:
    row = ReportSettings.current()
    return row.next_weekly_at if row.weekly_summary else None


def sweep(now: datetime) -> int:
    row = ReportSettings.current()
    if not row.weekly_summary:
        return 0
    if row.next_weekly_at is None:
        ReportSettings.objects.filter(pk=row.pk, next_weekly_at__isnull=True).update(
            next_weekly_at=next_monday(now)
        )
        return 0
    if row.next_weekly_at > now:
        return 0
    with transaction.atomic():
        claimed = ReportSettings.objects.filter(
            pk=row.pk, next_weekly_at=row.next_weekly_at
        ).update(next_weekly_at=next_monday(now))
        return len(send_summaries(now=now)) if claimed else 0


SWEEPER = Sweeper(name="weekly-summaries", run=sweep, next_due=next_due, max_sleep=600.0)
