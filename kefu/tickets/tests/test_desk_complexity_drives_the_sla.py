"""The desk's ticket form sets the complexity (simple / complex / multi-team / special), which
drives the charter's resolution and update tiers: saving it changes the SLA panel's targets and
due times, and the change is in the history, in Chinese and English."""

import re

import pytest

from kefu.sla.models import SlaClock
from kefu.testing import make_ticket, session_client
from kefu.tickets.models import EventKind


def _save(client, ticket, complexity: str):
    """The form as the page sends it, with only the complexity changed."""
    number = ticket.number
    page = client.get(f"/desk/t/{number}/").content.decode()
    version = re.search(r'name="version" value="([^"]*)"', page)[1]
    return client.post(
        f"/desk/t/{number}/update/",
        {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, "version": version,
         "status": "open", "priority": "normal", "complexity": complexity, "category": "",
         "team": ticket.team_id, "assignee": ""},
    )  # fmt: skip


def _clocks(ticket) -> dict[str, tuple[str, str]]:
    return {c.metric: (c.target, c.policy.code) for c in SlaClock.objects.filter(ticket=ticket)}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("complexity", "metric", "target", "policy"),
    [("complex", "resolution", "5d", "complex"),
     ("multi_team", "resolution", "7d", "multi-team"),
     ("special", "periodic_update", "3d", "special")],
)  # fmt: skip
def test_saving_the_complexity_sets_its_sla_tier(personas, complexity, metric, target, policy):
    ticket = make_ticket(personas.anna)
    client = session_client(personas.alice)
    page = client.get(f"/desk/t/{ticket.number}/").content.decode()
    assert '<select name="complexity"' in page and '<option value="simple" selected>' in page
    assert _clocks(ticket)["resolution"] == ("1d", "simple")
    before = SlaClock.objects.get(ticket=ticket, metric="resolution").due_at
    assert _save(client, ticket, complexity).status_code == 302
    assert _clocks(ticket)[metric] == (target, policy)
    if metric == "resolution":
        assert SlaClock.objects.get(ticket=ticket, metric="resolution").due_at > before
    event = ticket.events.get(kind=EventKind.COMPLEXITY)
    assert (event.old, event.new) == ("simple", complexity)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "history", "panel"),
    [("en", "changed complexity: Simple → Multi-team", ["7 working days",
      "Multi-team issues: solved within 7 working days"]),
     ("zh-hans", "修改了 复杂度：简单 → 多团队协作", ["7 个工作日", "跨部门问题：7 个工作日内解决"])],
)  # fmt: skip
def test_the_panel_and_history_show_the_change_in_both_languages(
    personas, language, history, panel
):
    ticket = make_ticket(personas.anna)
    client = session_client(personas.alice)
    client.cookies["django_language"] = language
    _save(client, ticket, "multi_team")
    page = client.get(f"/desk/t/{ticket.number}/").content.decode()
    assert history in page
    for text in panel:
        assert text in page
    assert '<option value="multi_team" selected>' in page
