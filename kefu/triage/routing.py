"""Routing: the right team, then the right agent in it, or the team queue — never nowhere.

The team comes from the rules or the category (``Category.team``, admin data; set when the
ticket is created). Within it, an agent qualifies who is on shift, speaks the ticket's language
and has the skill; the one with the fewest open tickets wins (ties: agent id). The skills a
category needs are admin data (``CategorySkills``; any one of them will do, none listed: anyone
qualifies); an agent who lists no skills takes whatever their team receives. Key accounts go to
their named account manager while on shift. Tickets waiting for triage are not assigned: a
person picks their category first.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime

from django.db.models import Count

from kefu.accounts.access import SYSTEM
from kefu.accounts.models import Agent, Team, User
from kefu.lib.process_cache import ProcessCache
from kefu.tickets import actions
from kefu.tickets.models import Status, Ticket
from kefu.triage.links import is_on_shift
from kefu.triage.store import snapshot

TRIAGE_TEAM = "triage"
# What counts as an agent's open load (waiting for the customer does not keep them busy).
LOAD_STATUSES = (Status.NEW, Status.OPEN, Status.ON_HOLD)


@dataclass(frozen=True)
class Routing:
    """How the ticket was routed, kept in ``Ticket.triage["routing"]`` to explain it."""

    how: str  # account_manager | least_load | kept | needs_triage | unroutable | no_team
    team: str | None = None
    assignee: str | None = None
    team_agents: int = 0
    on_shift: int = 0
    speak_language: int = 0
    skilled: int = 0
    load: int | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def has_skill(agent: Agent, needed: frozenset[str]) -> bool:
    return not agent.skills or not needed or bool(needed & set(agent.skills))


def speaks(agent: Agent, language: str) -> bool:
    return not agent.languages or language in agent.languages


def open_loads(agents: list[Agent]) -> dict[int, int]:
    rows = (
        Ticket.objects.filter(assignee__in=agents, status__in=LOAD_STATUSES)
        .values("assignee")
        .annotate(n=Count("id"))
    )
    return {row["assignee"]: row["n"] for row in rows}


def _load_team_agents() -> list[tuple[int, Agent]]:
    """(team id, agent) for each team of each active agent but QA, in the agents' code order:
    one read."""
    memberships = (
        Agent.teams.through.objects.filter(agent__user__is_active=True)
        .exclude(agent__role=Agent.Role.QA)
        .select_related("agent")
        .order_by("agent__code")
    )
    return [(row.team_id, row.agent) for row in memberships]


# Every routed ticket asks; who works in which team changes rarely (``ProcessCache``: seen at
# once in this process, within seconds in the others).
_team_agents_cache = ProcessCache(_load_team_agents, forget_on=[Agent, Team, User])


def _team_agents(team: Team) -> list[Agent]:
    return [agent for team_id, agent in _team_agents_cache.get() if team_id == team.pk]


def _team_candidates(ticket: Ticket, now: datetime) -> tuple[list[Agent], Routing]:
    """The qualified agents, and how many were left after each test (to explain an empty list)."""
    assert ticket.team is not None
    team = _team_agents(ticket.team)
    on_shift = [a for a in team if is_on_shift(a, now)]
    speaking = [a for a in on_shift if speaks(a, ticket.language)]
    needed = snapshot().skills.get(ticket.category.code if ticket.category else "", frozenset())
    skilled = [a for a in speaking if has_skill(a, needed)]
    counts = Routing(
        "unroutable",
        ticket.team.code,
        team_agents=len(team),
        on_shift=len(on_shift),
        speak_language=len(speaking),
        skilled=len(skilled),
    )
    return skilled, counts


def _account_manager(ticket: Ticket, now: datetime) -> Agent | None:
    organization = ticket.organization
    if organization is None or not organization.is_key_account:
        return None
    manager = organization.account_manager
    if manager is None or not manager.user.is_active or not is_on_shift(manager, now):
        return None
    return manager


def choose(ticket: Ticket, now: datetime) -> tuple[Agent | None, Routing]:
    """Whom the ticket should go to, and why (no writes)."""
    team = ticket.team.code if ticket.team else None
    manager = _account_manager(ticket, now)
    if manager is not None:
        return manager, Routing("account_manager", team, manager.code)
    if ticket.assignee_id:
        return None, Routing("kept", team, ticket.assignee.code if ticket.assignee else None)
    if team is None:
        return None, Routing("no_team")
    if team == TRIAGE_TEAM:
        return None, Routing("needs_triage", team)
    agents, funnel = _team_candidates(ticket, now)
    if not agents:
        return None, funnel
    loads = open_loads(agents)
    best = min(agents, key=lambda a: (loads.get(a.pk, 0), a.code))
    return best, replace(funnel, how="least_load", assignee=best.code, load=loads.get(best.pk, 0))


def route(ticket: Ticket, now: datetime) -> Routing:
    """Assign the ticket as ``choose`` says (an ``assignee`` event by the system)."""
    agent, routing = choose(ticket, now)
    if agent is not None and agent.pk != ticket.assignee_id:
        actions.update_ticket(ticket=ticket, actor=SYSTEM, changes={"assignee": agent})
    return routing
