"""Reads of macros, scoped by who asks: the macros an agent may use and those they may edit,
and the values a macro's placeholders take on a ticket."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kefu.accounts.access import Viewer
from kefu.accounts.models import Agent
from kefu.errors import NotFound
from kefu.macros.models import Macro, Scope
from kefu.macros.placeholders import fill
from kefu.tickets.models import Ticket

MAX_ID_DIGITS = 15  # a macro id from a page or a socket: digits, and never beyond a bigint

SLA_PLACEHOLDERS = {
    "sla.first_response_due": "first_response",
    "sla.next_response_due": "next_response",
    "sla.resolution_due": "resolution",
}


def _usable(viewer: Viewer) -> Q:
    if viewer.agent is None or not viewer.may_edit_tickets:
        return Q(pk__in=[])
    return (
        Q(scope=Scope.GLOBAL)
        | Q(scope=Scope.TEAM, team_id__in=viewer.team_ids)
        | Q(scope=Scope.PERSONAL, owner_id=viewer.agent.pk)
    )


def usable_macros(viewer: Viewer) -> QuerySet[Macro]:
    """Active macros the agent may apply: everyone's, their teams' and their own."""
    return (
        Macro.objects.filter(_usable(viewer), is_active=True)
        .select_related("team", "owner", "set_category", "set_team", "set_assignee")
        .order_by("-usage_count", "title_en")
    )


def usable_macro(viewer: Viewer, macro_id: object) -> Macro:
    text = str(macro_id)
    if not text.isdigit() or len(text) > MAX_ID_DIGITS:
        raise NotFound()
    pk = int(text)
    macro = usable_macros(viewer).filter(pk=pk).first()
    if macro is None:
        raise NotFound()
    return macro


def editable_filter(viewer: Viewer) -> Q:
    """Admins edit every macro; leads their teams' and their own; agents their own."""
    agent = viewer.agent
    if agent is None or not viewer.may_edit_tickets:
        return Q(pk__in=[])
    if viewer.is_admin:
        return Q()
    own = Q(scope=Scope.PERSONAL, owner_id=agent.pk)
    if agent.role == Agent.Role.LEAD:
        return own | Q(scope=Scope.TEAM, team_id__in=lead_team_ids(viewer))
    return own


def lead_team_ids(viewer: Viewer) -> set[int]:
    """Teams whose macros a lead edits: those they belong to and those they lead."""
    if viewer.agent is None:
        return set()
    led = set(viewer.agent.led_teams.values_list("pk", flat=True))
    return set(viewer.team_ids) | led


def may_edit(viewer: Viewer, macro: Macro) -> bool:
    return Macro.objects.filter(editable_filter(viewer), pk=macro.pk).exists()


def listed_macros(viewer: Viewer, search: str = "") -> QuerySet[Macro]:
    """The desk's macro list: those the agent may use or edit, active or not."""
    macros = Macro.objects.filter(_usable(viewer) | editable_filter(viewer))
    if search:
        macros = macros.filter(
            Q(title_zh__icontains=search)
            | Q(title_en__icontains=search)
            | Q(text_zh__icontains=search)
            | Q(text_en__icontains=search)
        )
    return macros.select_related("team", "owner").order_by("scope", "title_en")


def editable_macro(viewer: Viewer, macro_id: int) -> Macro:
    macro = Macro.objects.filter(editable_filter(viewer), pk=macro_id).first()
    if macro is None:
        raise NotFound()
    return macro


def _due(ticket: Ticket, metric: str) -> str:
    from kefu.sla.models import SlaClock

    clock = SlaClock.objects.filter(ticket=ticket, metric=metric).first()
    if clock is None or clock.due_at is None:
        return "—"
    zone = ticket.requester.zone
    return f"{clock.due_at.astimezone(zone):%Y-%m-%d %H:%M} ({zone.key})"


def placeholder_values(ticket: Ticket, viewer: Viewer, names: set[str]) -> dict[str, str]:
    """What each placeholder in ``names`` stands for on ``ticket``, used by ``viewer``. SLA due
    times are read in the customer's time zone."""
    requester = ticket.requester
    values = {
        "customer.name": requester.name or requester.email,
        "ticket.number": ticket.number,
        "ticket.order_id": ticket.order_id,
        "ticket.subject": ticket.subject,
        "agent.code": viewer.agent.code if viewer.agent else "",
    }
    for name, metric in SLA_PLACEHOLDERS.items():
        if name in names:
            values[name] = _due(ticket, metric)
    return values


def rendered(text: str, ticket: Ticket, viewer: Viewer) -> str:
    """``text`` with its placeholders filled in for ``ticket``."""
    from kefu.macros.placeholders import used_names

    names = used_names(text)
    return fill(text, placeholder_values(ticket, viewer, names)) if names else text


def reply_for(macro: Macro, ticket: Ticket, viewer: Viewer) -> str:
    """The macro's reply for ``ticket``, in the ticket's language, placeholders filled in."""
    return rendered(macro.text(reply_language(ticket)), ticket, viewer)


def reply_language(ticket: Ticket) -> str:
    return "zh" if ticket.language == "zh" else "en"
