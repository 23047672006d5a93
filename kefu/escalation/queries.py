"""Reads for escalation: paths, leads on duty, and when a customer may nudge or complain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone

from kefu.accounts.models import Agent, Team, User
from kefu.escalation.models import EscalationLevel, EscalationPath, Nudge
from kefu.lib.process_cache import ProcessCache
from kefu.sla.queries import is_on_shift
from kefu.tickets.models import Message, Relation, Status, Ticket

# The charter: nudge after 24 hours without an update, once per 24 hours; complain after 48.
NUDGE_AFTER = timedelta(hours=24)
NUDGE_EVERY = timedelta(hours=24)
COMPLAINT_AFTER = timedelta(hours=48)
CLOSED_STATUSES = (Status.RESOLVED, Status.CLOSED)


def _load_paths() -> list[EscalationPath]:
    """Active paths with their levels and team lead, category paths first (then by code)."""
    return list(
        EscalationPath.objects.filter(is_active=True)
        .select_related("team__lead__user")
        .prefetch_related("levels")
        .order_by(F("category_id").asc(nulls_last=True), "code")
    )


# Paths are read for every new ticket and edited rarely.
_paths = ProcessCache(_load_paths, forget_on=[EscalationPath, EscalationLevel, Team])


def path_for(ticket: Ticket) -> EscalationPath | None:
    """The category's path, else the default path (the one without a category)."""
    paths = _paths.get()
    own = (p for p in paths if p.category_id is not None and p.category_id == ticket.category_id)
    return next(own, None) or next((p for p in paths if p.category_id is None), None)


def leads() -> QuerySet[Agent]:
    """Everyone who leads: the lead role, or named lead of a team."""
    return (
        Agent.objects.filter(Q(role=Agent.Role.LEAD) | Q(led_teams__isnull=False))
        .filter(user__is_active=True)
        .select_related("user")
        .distinct()
        .order_by("code")
    )


def _load_leads() -> list[Agent]:
    return list(leads())


def _load_first_admin() -> list[Agent]:
    admins = Agent.objects.filter(role=Agent.Role.ADMIN).select_related("user")
    return list(admins.order_by("pk")[:1])


# Every ticket of a surge asks who would own its incident until someone does; who leads and
# who administers changes rarely (``ProcessCache``: seen at once here, within seconds elsewhere).
_leads = ProcessCache(_load_leads, forget_on=[Agent, Team, User])
_first_admin = ProcessCache(_load_first_admin, forget_on=[Agent, User])


def first_admin() -> Agent | None:
    """The owner of last resort: the oldest admin."""
    return next(iter(_first_admin.get()), None)


def on_duty_lead(ticket: Ticket, at: datetime | None = None) -> Agent | None:
    """The lead of the ticket's team if on shift, else any lead on shift, else any lead."""
    at = at or timezone.now()
    team_lead = ticket.team.lead if ticket.team_id and ticket.team else None
    candidates = [team_lead] if team_lead else []
    candidates += [agent for agent in _leads.get() if agent != team_lead]
    for agent in candidates:
        if is_on_shift(agent, at):
            return agent
    return candidates[0] if candidates else None


def path_lead(path: EscalationPath, ticket: Ticket) -> Agent | None:
    """Who owns an escalation on this path: its team's lead, else the lead on duty."""
    if path.team is not None and path.team.lead is not None:
        return path.team.lead
    return on_duty_lead(ticket)


def last_support_update(ticket: Ticket) -> datetime:
    """When support last told the customer something in public (or the ticket was opened).
    A customer's own follow-ups do not count: they must not delay their right to nudge."""
    latest = Message.objects.filter(
        ticket=ticket, is_internal=False, author_role=Message.AuthorRole.AGENT
    ).aggregate(latest=Max("created_at"))["latest"]
    return max(ticket.created_at, latest) if latest else ticket.created_at


def last_nudge(ticket: Ticket) -> datetime | None:
    return Nudge.objects.filter(ticket=ticket).aggregate(at=Max("created_at"))["at"]


def nudge_available_at(ticket: Ticket) -> datetime:
    """From when the customer may nudge: 24 h after support's last update and the last nudge."""
    available = last_support_update(ticket) + NUDGE_AFTER
    nudged = last_nudge(ticket)
    return max(available, nudged + NUDGE_EVERY) if nudged else available


def open_complaint(ticket: Ticket) -> Ticket | None:
    return (
        Ticket.objects.filter(related_to=ticket, relation=Relation.COMPLAINT, is_complaint=True)
        .exclude(status__in=CLOSED_STATUSES)
        .first()
    )


def complaint_available_at(ticket: Ticket) -> datetime:
    return last_support_update(ticket) + COMPLAINT_AFTER


@dataclass(frozen=True)
class CustomerActions:
    """What the portal offers on a ticket, and from when."""

    is_open: bool
    is_complaint: bool
    nudge_at: datetime
    complaint_at: datetime
    complaint: Ticket | None
    now: datetime

    @property
    def may_nudge(self) -> bool:
        return self.is_open and self.now >= self.nudge_at

    @property
    def may_complain(self) -> bool:
        return (
            self.is_open
            and not self.is_complaint
            and self.complaint is None
            and self.now >= self.complaint_at
        )


def customer_actions(ticket: Ticket, now: datetime | None = None) -> CustomerActions:
    return CustomerActions(
        is_open=ticket.status not in CLOSED_STATUSES,
        is_complaint=ticket.is_complaint,
        nudge_at=nudge_available_at(ticket),
        complaint_at=complaint_available_at(ticket),
        complaint=open_complaint(ticket),
        now=now or timezone.now(),
    )
