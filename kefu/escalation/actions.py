"""The only code that writes escalation data: notifications, escalations, pages, surges and QA.

Everything here runs inside the caller's transaction (an event receiver, the SLA sweeper, an API
call); mail is only queued (``queue_email``) and sent by the worker after commit. Ticket changes
(priority, team, assignee, links, new tickets) go through ``tickets.actions`` and are recorded
as events there; each escalation also records one ``escalated`` event saying what it did.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kefu.accounts.access import SYSTEM, Viewer
from kefu.accounts.models import Agent, Team
from kefu.errors import Forbidden, InvalidTransition
from kefu.escalation import queries
from kefu.escalation.models import (
    EscalationLevel,
    EscalationPath,
    Nudge,
    QaReview,
    SurgeIncident,
    Trigger,
)
from kefu.notifications import texts
from kefu.notifications.actions import notify
from kefu.notifications.models import Kind
from kefu.sla.clock import add_working_days
from kefu.sla.specs import calendar_for
from kefu.tickets import actions as ticket_actions
from kefu.tickets.models import Channel, EventKind, Priority, Relation, Ticket
from kefu.tickets.work import atomic_unit, before_commit_together, unit_store

log = logging.getLogger("kefu.escalation")

PRIORITY_RANK: dict[str, int] = {"low": 0, "normal": 1, "high": 2, "urgent": 3}
NOTIFICATION_KINDS = {
    Trigger.SLA_WARNING: Kind.SLA_WARNING,
    Trigger.SLA_BREACH: Kind.SLA_BREACH,
    Trigger.URGENT: Kind.URGENT,
    Trigger.EMERGENCY: Kind.EMERGENCY,
}
INCIDENT_TAG = "incident"
QA_CALENDAR = getattr(settings, "KEFU_QA_CALENDAR", "cn-standard")
QA_WORKING_DAYS = 2


def ticket_params(ticket: Ticket, **extra: Any) -> dict[str, Any]:
    return {"number": ticket.number, "subject": ticket.subject, **extra}


# --- escalation along a path -------------------------------------------------------------------


def escalate(
    *, ticket: Ticket, trigger: str, metric: str = "", details: dict[str, Any] | None = None
) -> list[EscalationLevel]:
    """Apply every level of the ticket's path that answers ``trigger`` (and ``metric``)."""
    path = queries.path_for(ticket)
    if path is None:
        return []
    levels = [
        level
        for level in path.levels.all()
        if level.trigger == trigger and (not level.metric or level.metric == metric)
    ]
    for level in levels:
        _apply_level(ticket, path, level, metric, details or {})
    return levels


def _changes_for(ticket: Ticket, path: EscalationPath, level: EscalationLevel) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if level.reassign and path.team is not None and ticket.team_id != path.team.pk:
        changes["team"] = path.team
        changes["assignee"] = path.team.lead
    wanted = level.raise_priority
    if wanted and PRIORITY_RANK[wanted] > PRIORITY_RANK.get(ticket.priority, 0):
        changes["priority"] = wanted
    return changes


def _apply_level(
    ticket: Ticket,
    path: EscalationPath,
    level: EscalationLevel,
    metric: str,
    details: dict[str, Any],
) -> None:
    recipients = [
        ticket.assignee if level.notify_assignee else None,
        ticket.team.lead if level.notify_team_lead and ticket.team else None,
        queries.path_lead(path, ticket) if level.notify_path_lead else None,
    ]
    changes = _changes_for(ticket, path, level)
    if changes:
        ticket_actions.update_ticket(ticket=ticket, actor=SYSTEM, changes=changes)
    params = ticket_params(ticket, metric=metric, due=details.get("due_at"))
    kind = NOTIFICATION_KINDS[Trigger(level.trigger)]
    notified = notify(recipients, kind, ticket=ticket, params=params, email=level.send_email)
    new_assignee = changes.get("assignee")
    if new_assignee is not None and new_assignee.user_id not in {u.pk for u in notified}:
        notified += notify([new_assignee], Kind.ESCALATED, ticket=ticket,
                           params=params, email=level.send_email)  # fmt: skip
    ticket_actions.record_event(
        ticket,
        SYSTEM,
        EventKind.ESCALATED,
        new=path.code,
        data={"path": path.code, "level": level.level, "trigger": level.trigger,
              "metric": metric, "notified": [u.agent.code for u in notified],
              "changes": {k: getattr(v, "code", v) for k, v in changes.items()}},
    )  # fmt: skip


def page_on_duty_lead(*, ticket: Ticket, at: datetime | None = None) -> Agent | None:
    """Emergencies reach a lead at once: in the workspace and by mail, any day, any hour."""
    lead = queries.on_duty_lead(ticket, at)
    if lead is not None:
        notify([lead], Kind.PAGE, ticket=ticket, params=ticket_params(ticket),
               email=True)  # fmt: skip
    ticket_actions.record_event(
        ticket,
        SYSTEM,
        EventKind.PAGED,
        new=lead.code if lead else None,
        data={"on_duty": bool(lead)},
    )
    return lead


# --- surges ------------------------------------------------------------------------------------

# How far behind an incident's ``last_linked_at`` may lag (see the model).
LINK_RESOLUTION = timedelta(minutes=1)


def check_surge(*, ticket: Ticket, now: datetime | None = None) -> SurgeIncident | None:
    """N new tickets of one category within the window: one incident ticket, the rest linked."""
    path = queries.path_for(ticket)
    if path is None or not path.surge_threshold or ticket.category_id is None:
        return None
    now = now or timezone.now()
    since = now - timedelta(minutes=path.surge_window_minutes)
    recent = Ticket.objects.filter(category_id=ticket.category_id, created_at__gte=since).exclude(
        surge_incident__isnull=False
    )
    # A triage batch brings many tickets of a category: its unit of work looks once.
    known = unit_store("surge-incidents")
    incident = (known or {}).get(path.pk) or _active_incident(path, since)
    incident = incident or _open_surge(path, ticket, recent, since, now)
    if incident is not None and known is not None:
        known[path.pk] = incident
    if incident is not None and ticket.related_to_id is None:  # not yet linked by the opening
        _link(incident, [ticket], now)
    return incident


def _open_surge(
    path: EscalationPath, ticket: Ticket, recent: QuerySet[Ticket], since: datetime, now: datetime
) -> SurgeIncident | None:
    """Open the incident once the category reaches the threshold (or find one just opened)."""
    # Counting stops at the threshold: a busy category must not make every intake slow.
    if recent[: path.surge_threshold].count() < path.surge_threshold:
        return None
    owner = _incident_owner(path, ticket)
    if owner is None:
        _warn_unowned(path, now)
        return None
    # Serialise opening per path, then look again: one incident per surge. Once it is open,
    # tickets join it without this lock.
    EscalationPath.objects.select_for_update().filter(pk=path.pk).first()
    incident = _active_incident(path, since)
    if incident is not None:
        return incident
    count = recent.count()
    incident = _open_incident(path, ticket, count, now, owner)
    # The ticket being created is linked through its own instance, which its action saves.
    members = recent.filter(related_to__isnull=True).exclude(pk=ticket.pk)
    _link(incident, [ticket, *members], now)
    return incident


# A surge nobody can own (no lead, no admin) would warn on each of its tickets: once per window.
_unowned_warned: dict[int, datetime] = {}


def _warn_unowned(path: EscalationPath, now: datetime) -> None:
    last = _unowned_warned.get(path.pk)
    if last is None or not now - timedelta(minutes=path.surge_window_minutes) < last <= now:
        _unowned_warned[path.pk] = now
        log.warning("surge on %s but nobody to own the incident", path.code)


def _active_incident(path: EscalationPath, since: datetime) -> SurgeIncident | None:
    return (
        SurgeIncident.objects.filter(path=path, last_linked_at__gte=since)
        .exclude(ticket__status__in=queries.CLOSED_STATUSES)
        .select_related("ticket")
        .order_by("-opened_at")
        .first()
    )


def _incident_owner(path: EscalationPath, ticket: Ticket) -> Agent | None:
    return queries.path_lead(path, ticket) or queries.first_admin()


def _open_incident(
    path: EscalationPath, ticket: Ticket, count: int, now: datetime, owner: Agent
) -> SurgeIncident:
    category = ticket.category
    assert category is not None
    params = {"count": count, "minutes": path.surge_window_minutes,
              "category": {"en": category.name_en, "zh": category.name_zh}}  # fmt: skip
    with translation.override(owner.user.language):
        subject = texts.render(Kind.SURGE, {**params, "number": "—"})
        incident_ticket = ticket_actions.create_ticket(
            actor=SYSTEM, requester=owner.user, organization=None, subject=subject,
            body=subject, channel=Channel.API, category=category, priority=Priority.URGENT,
            team=path.team or category.team, tags=[INCIDENT_TAG], language=owner.user.lang,
        )  # fmt: skip
        ticket_actions.update_ticket(
            ticket=incident_ticket, actor=SYSTEM, changes={"assignee": owner}
        )
    incident = SurgeIncident.objects.create(
        path=path, ticket=incident_ticket, opened_at=now, last_linked_at=now
    )
    notify([owner], Kind.SURGE, ticket=incident_ticket,
           params={**params, "number": incident_ticket.number}, email=True)  # fmt: skip
    return incident


def _link(incident: SurgeIncident, tickets: Iterable[Ticket], now: datetime) -> None:
    """Link the members at the unit's end, with the others it links (a triage batch brings
    many): nothing before then reads the link."""
    for member in tickets:
        if member.pk != incident.ticket_id and member.related_to_id is None:
            write = partial(_write_links, incident.ticket)
            before_commit_together(f"surge-links:{incident.pk}", member.pk, member, write)
    # The column only grows: when this instance's value is recent, so is the row's.
    if incident.last_linked_at < now - LINK_RESOLUTION:
        SurgeIncident.objects.filter(
            pk=incident.pk, last_linked_at__lt=now - LINK_RESOLUTION
        ).update(last_linked_at=now)
        incident.last_linked_at = now


def _write_links(incident_ticket: Ticket, members: dict[int, Ticket]) -> None:
    ticket_actions.link_tickets(tickets=list(members.values()), actor=SYSTEM,
                                related_to=incident_ticket, relation=Relation.INCIDENT)  # fmt: skip


# --- QA reviews --------------------------------------------------------------------------------


def open_qa_review(
    ticket: Ticket,
    reason: str,
    *,
    agent: Agent | None = None,
    source: str = QaReview.Source.COMPLAINT,
    working_days: int = QA_WORKING_DAYS,
) -> QaReview:
    """A QA task about ``ticket`` (an unsatisfied rating, a complaint about an agent), due in
    ``working_days`` working days (the charter: 2; complaint emails: 3)."""
    now = timezone.now()
    due = add_working_days(calendar_for([QA_CALENDAR], around=now), now, working_days)
    review = QaReview.objects.create(
        ticket=ticket, agent=agent, source=source, reason=reason, due_at=due, created_at=now
    )
    ticket_actions.record_event(
        ticket, SYSTEM, EventKind.QA_REVIEW, new=review.pk,
        data={"source": source, "agent": agent.code if agent else None, "due_at": due.isoformat()},
    )  # fmt: skip
    qa_staff = Agent.objects.filter(role=Agent.Role.QA, user__is_active=True).select_related("user")
    notify(qa_staff, Kind.QA_REVIEW, ticket=ticket,
           params=ticket_params(ticket, due=due.isoformat(), reason=reason[:200]))  # fmt: skip
    return review


@atomic_unit
def complete_qa_review(*, review: QaReview, actor: Viewer, outcome: str) -> QaReview:
    review.state = QaReview.State.DONE
    review.outcome = outcome
    review.reviewer = actor.agent
    review.completed_at = timezone.now()
    review.save(update_fields=["state", "outcome", "reviewer", "completed_at"])
    ticket_actions.record_event(review.ticket, actor, EventKind.QA_REVIEW_DONE, new=review.pk)
    return review


def claim_overdue_review(review_id: int, now: datetime) -> bool:
    return (
        QaReview.objects.filter(
            pk=review_id, state=QaReview.State.OPEN, overdue_at__isnull=True, due_at__lte=now
        ).update(overdue_at=now)
        == 1
    )


# --- the customer's nudge (催办) and formal complaint -------------------------------------------

NUDGE_SCORE = 10.0  # one nudge lifts a ticket above its peers in the queue (issue 4 ranks by score)
COMPLAINTS_TEAM = "complaints"


class TooEarly(InvalidTransition):
    """Refused for now; ``available_at`` says from when it will be allowed."""

    def __init__(self, message: str, *, code: str, available_at: datetime) -> None:
        super().__init__(message)
        self.code = code
        self.available_at = available_at

    def as_dict(self) -> dict[str, object]:
        return {**super().as_dict(), "available_at": self.available_at.isoformat()}


def _customer_only(actor: Viewer, message: Any) -> None:
    if not actor.is_customer:
        raise Forbidden(message)


def _lock(ticket: Ticket) -> None:
    """One nudge or complaint at a time per ticket, so the 24-hour rule holds under races."""
    Ticket.objects.select_for_update().filter(pk=ticket.pk).values_list("pk").first()


@atomic_unit
def nudge_ticket(*, ticket: Ticket, actor: Viewer) -> Nudge:
    """The customer asks for movement: allowed 24 h after support's last update, once a day."""
    _customer_only(actor, _("Only the customer can nudge a ticket."))
    _lock(ticket)
    now = timezone.now()
    if ticket.status in queries.CLOSED_STATUSES:
        raise InvalidTransition(_("This ticket is resolved or closed, so it cannot be nudged."))
    available = queries.nudge_available_at(ticket)
    if now < available:
        raise TooEarly(_nudge_refusal(ticket, available), code="nudge_too_early",
                       available_at=available)  # fmt: skip
    nudge = Nudge.objects.create(ticket=ticket, user=actor.user, created_at=now)
    ticket_actions.raise_score(ticket=ticket, actor=actor, by=NUDGE_SCORE, reason="nudge")
    ticket_actions.record_event(ticket, actor, EventKind.NUDGED, new=nudge.pk, at=now)
    lead = ticket.team.lead if ticket.team else None
    notify([ticket.assignee, lead or queries.on_duty_lead(ticket, now)], Kind.NUDGE,
           ticket=ticket, params=ticket_params(ticket), email=True)  # fmt: skip
    return nudge


def _nudge_refusal(ticket: Ticket, available: datetime) -> str:
    last = queries.last_nudge(ticket)
    when = texts.format_instant(available)
    if last is not None and last + queries.NUDGE_EVERY >= available:
        return _("You nudged this ticket at %(last)s; you can nudge it again from %(when)s.") % {
            "last": texts.format_instant(last),
            "when": when,
        }
    return _(
        "You can nudge this ticket from %(when)s, when support has not updated it for 24 hours."
    ) % {"when": when}


@atomic_unit
def file_complaint(
    *, ticket: Ticket, actor: Viewer, reason: str, about_agent: bool = False,
    channel: str = Channel.WEB,
) -> Ticket:  # fmt: skip
    """A formal complaint when support has left the ticket unhandled for 48 h: a linked ticket
    for the complaints team, with its own 72-hour intervention SLA (the ``complaint`` policy)."""
    _customer_only(actor, _("Only the customer can file a complaint."))
    assert actor.user is not None  # a customer always has a user
    _lock(ticket)
    _check_complaint_allowed(ticket)
    with translation.override(ticket.language if ticket.language == "en" else "zh-hans"):
        subject = _("Complaint about %(number)s: %(subject)s") % ticket_params(ticket)
    complaint = ticket_actions.create_ticket(
        # Filing a complaint is the customer's right on any ticket they can see, scopes aside.
        actor=Viewer(user=actor.user, account=actor.account, system=True),
        requester=actor.user, organization=ticket.organization, subject=subject, body=reason,
        channel=channel, category=ticket.category, priority=Priority.HIGH,
        language=ticket.language, team=Team.objects.filter(code=COMPLAINTS_TEAM).first(),
        is_complaint=True, related_to=ticket, relation=Relation.COMPLAINT,
    )  # fmt: skip
    ticket_actions.record_event(ticket, actor, EventKind.COMPLAINT, new=complaint.number,
                                data={"about_agent": about_agent})  # fmt: skip
    complaints_lead = complaint.team.lead if complaint.team else None
    notify([complaints_lead, ticket.team.lead if ticket.team else None, ticket.assignee],
           Kind.COMPLAINT, ticket=complaint,
           params=ticket_params(ticket, complaint=complaint.number), email=True)  # fmt: skip
    if about_agent:
        open_qa_review(ticket, reason, agent=ticket.assignee, source=QaReview.Source.COMPLAINT)
    return complaint


def _check_complaint_allowed(ticket: Ticket) -> None:
    if ticket.status in queries.CLOSED_STATUSES:
        raise InvalidTransition(
            _("This ticket is resolved or closed. If the problem is not solved, reopen it first.")
        )
    if ticket.is_complaint:
        raise InvalidTransition(_("This ticket is already a complaint."))
    existing = queries.open_complaint(ticket)
    if existing is not None:
        error = InvalidTransition(
            _("A formal complaint about this ticket is already open: %(number)s.")
            % {"number": existing.number}
        )
        error.code = "complaint_exists"
        raise error
    available = queries.complaint_available_at(ticket)
    if timezone.now() < available:
        raise TooEarly(
            _("You can file a formal complaint from %(when)s, when support has not updated "
              "this ticket for 48 hours.") % {"when": texts.format_instant(available)},
            code="complaint_too_early",
            available_at=available,
        )  # fmt: skip
