"""Shared set-up for triage's database tests: agents who are at work whatever the clock says."""

from __future__ import annotations

import pytest

from kefu.accounts.actions import create_agent
from kefu.accounts.models import Agent, Team
from kefu.testing import PASSWORD, Personas


def at_work(
    agent: Agent, *, languages: list[str] | None = None, skills: list[str] | None = None
) -> Agent:
    """On shift at any time ("always" calendar; online for the no-calendar fallback)."""
    agent.shift_calendar = "always"
    agent.status = Agent.Status.ONLINE
    if languages is not None:
        agent.languages = languages
    if skills is not None:
        agent.skills = skills
    agent.save()
    return agent


def make_agent(code: str, team: str, **fields) -> Agent:
    agent = create_agent(email=f"{code.lower()}@kefu.test", code=code, password=PASSWORD,
                         teams=[Team.objects.get(code=team)])  # fmt: skip
    return at_work(agent, **fields)


@pytest.fixture
def staffed(personas: Personas) -> Personas:
    """Alice (orders) and Bob (billing) at work; Lena stays off shift (offline, office hours)."""
    at_work(personas.alice.agent)
    at_work(personas.bob.agent)
    return personas
