"""Routing: category → team; in the team an agent on shift who speaks the language and has the
skill, least open load first; key accounts to their account manager; otherwise the team queue."""

from datetime import UTC, datetime

import pytest

from kefu.accounts.models import Agent
from kefu.testing import make_ticket
from kefu.tickets.models import Ticket
from kefu.triage import routing
from kefu.triage.tests.conftest import at_work, make_agent

# A Sunday, 03:00 in Shanghai: outside every office calendar.
NIGHT = datetime(2026, 3, 1, 19, 0, tzinfo=UTC)
NOON = datetime(2026, 3, 4, 4, 0, tzinfo=UTC)  # Wednesday 12:00 in Shanghai


def _route(ticket: Ticket, at=NOON) -> routing.Routing:
    result = routing.route(ticket, at)
    ticket.refresh_from_db()
    return result


def _load(agent: Agent, customer, n: int) -> None:
    for i in range(n):
        Ticket.objects.filter(pk=make_ticket(customer, subject=f"load {i}").pk).update(
            assignee=agent
        )


@pytest.mark.django_db
def test_least_open_load_wins_then_the_agent_id(personas):
    alice, lena = at_work(personas.alice.agent), at_work(personas.lena.agent)
    _load(alice, personas.anna, 2)
    ticket = make_ticket(personas.anna)
    result = _route(ticket)
    assert ticket.assignee == lena and (result.how, result.load) == ("least_load", 0)
    assert ticket.events.get(kind="assignee").new == "L0001"


@pytest.mark.django_db
def test_agents_off_shift_do_not_get_tickets(personas):
    alice = personas.alice.agent
    alice.status = Agent.Status.OFFLINE  # the fallback's "off shift"
    alice.save()
    ticket = make_ticket(personas.anna)
    result = _route(ticket, NIGHT)  # and outside the office calendar
    assert ticket.assignee is None and ticket.team.code == "orders"
    assert (result.how, result.team_agents, result.on_shift) == ("unroutable", 2, 0)


@pytest.mark.django_db
def test_language_and_skill_narrow_the_candidates(personas):
    at_work(personas.alice.agent, languages=["zh"])  # Anna writes English
    at_work(personas.lena.agent, skills=["logistics"])  # not an order_trade skill
    make_agent("A0009", "orders", languages=["en"], skills=["orders"])
    ticket = make_ticket(personas.anna)
    result = _route(ticket)
    assert ticket.assignee.code == "A0009"
    assert (result.team_agents, result.on_shift, result.speak_language, result.skilled) == (
        3,
        3,
        2,
        1,
    )


@pytest.mark.django_db
def test_key_accounts_go_to_their_account_manager_on_shift(personas):
    manager = make_agent("KAM01", "general")
    personas.acme.gmv_usd = 600_000
    personas.acme.account_manager = manager
    personas.acme.save()
    at_work(personas.alice.agent)
    ticket = make_ticket(personas.anna)
    assert _route(ticket).how == "account_manager" and ticket.assignee == manager
    assert ticket.team.code == "orders"  # the team stays the category's


@pytest.mark.django_db
def test_an_account_manager_off_shift_leaves_it_to_the_team(personas):
    manager = make_agent("KAM01", "general")
    manager.shift_calendar, manager.status = "cn-standard", Agent.Status.OFFLINE
    manager.save()
    personas.acme.tier, personas.acme.account_manager = "key_account", manager
    personas.acme.save()
    at_work(personas.alice.agent, languages=[])  # no languages listed: speaks any
    ticket = make_ticket(personas.anna)
    assert _route(ticket, NIGHT).how == "least_load" and ticket.assignee.code == "A0001"


@pytest.mark.django_db
def test_needs_triage_and_unroutable_tickets_stay_in_their_team_queue(personas):
    from kefu.accounts.models import Team

    triage_team = Team.objects.get(code="triage")
    waiting = make_ticket(personas.anna, category=None, team=triage_team)
    assert _route(waiting).how == "needs_triage" and waiting.assignee is None
    assert waiting.team == triage_team
    lonely = make_ticket(personas.anna, category="integration_tech")  # nobody in integration
    assert _route(lonely).how == "unroutable" and lonely.team.code == "integration"


@pytest.mark.django_db
def test_qa_and_inactive_agents_are_never_chosen(personas):
    qa = make_agent("Q0009", "orders")
    qa.role = Agent.Role.QA
    qa.save()
    gone = make_agent("A0008", "orders")
    gone.user.is_active = False
    gone.user.save()
    ticket = make_ticket(personas.anna)
    assert _route(ticket, NIGHT).how == "unroutable"
