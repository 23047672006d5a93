"""Report parameters from a query string (API and pages alike): the period and the filters,
by code; bad values are 422 errors naming the parameter."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import Agent, Organization, Team
from kefu.errors import Invalid
from kefu.reports.facts import SHANGHAI
from kefu.reports.figures import Filters, Period
from kefu.tickets.models import Category, Channel

LANGUAGES = ("zh", "en")


def _day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(_("Give a date as YYYY-MM-DD."), field=name) from None


def period_of(query: Mapping[str, str], default_days: int = 28) -> Period:
    today = timezone.now().astimezone(SHANGHAI).date()
    last = _day(query["to"], "to") if query.get("to") else today
    first = (
        _day(query["from"], "from")
        if query.get("from")
        else last - timedelta(days=default_days - 1)
    )
    return Period.of(first, last)


def month_period(value: str) -> Period:
    try:
        first = date.fromisoformat(f"{value}-01")
    except ValueError:
        raise Invalid(_("Give a month as YYYY-MM."), field="month") from None
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return Period(first, following - timedelta(days=1))


def _id(model: type, code: str, name: str) -> int:
    found = model.objects.filter(code=code).values_list("pk", flat=True).first()  # type: ignore[attr-defined]
    if found is None:
        raise Invalid(_("No such code: %(code)s.") % {"code": code}, field=name)
    return int(found)


def filters_of(query: Mapping[str, str]) -> Filters:
    channel = query.get("channel", "")
    if channel and channel not in Channel.values:
        raise Invalid(_("Unknown channel."), field="channel")
    tier = query.get("tier", "")
    if tier and tier not in Organization.Tier.values:
        raise Invalid(_("Unknown organisation tier."), field="tier")
    language = query.get("language", "")
    if language and language not in LANGUAGES:
        raise Invalid(_("Language must be zh or en."), field="language")
    return Filters(
        channel=channel,
        category=_id(Category, query["category"], "category") if query.get("category") else None,
        team=_id(Team, query["team"], "team") if query.get("team") else None,
        agent=_id(Agent, query["agent"], "agent") if query.get("agent") else None,
        tier=tier,
        language=language,
    )
