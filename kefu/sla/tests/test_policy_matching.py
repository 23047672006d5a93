"""The most specific policy wins per metric; the shipped defaults encode the charter."""

import pytest

from kefu.accounts.models import Organization
from kefu.sla.models import BusinessCalendar, SlaClock, SlaPolicy
from kefu.sla.policies import TicketFacts, choose, specificity
from kefu.testing import make_ticket
from kefu.tickets import actions


def targets(ticket) -> dict[str, tuple[str, str]]:
    return {c.metric: (c.target, c.calendars) for c in SlaClock.objects.filter(ticket=ticket)}


def facts(**overrides) -> TicketFacts:
    base = dict(channel="web", priority="normal", category_id=None, org_tier="standard",
                complexity="simple", tags=frozenset(), emergency=False, complaint=False)  # fmt: skip
    return TicketFacts(**{**base, **overrides})


@pytest.mark.django_db
def test_specificity_counts_matching_criteria_and_rejects_mismatches():
    calendar = BusinessCalendar.objects.get(code="cn-standard")
    policy = SlaPolicy(code="x", calendar=calendar, channel="email", priority="urgent", order=5)
    assert specificity(policy, facts(channel="email", priority="urgent")) == (0, 2, -5)
    assert specificity(policy, facts(channel="chat", priority="urgent")) is None
    tagged = SlaPolicy(code="t", calendar=calendar, tag="funds")
    assert specificity(tagged, facts(tags=frozenset({"funds"})))[1] == 1
    assert specificity(tagged, facts()) is None
    emergency = SlaPolicy(code="e", calendar=calendar, emergency=True)
    assert specificity(emergency, facts(emergency=True))[0] == 1
    assert specificity(emergency, facts()) is None


@pytest.mark.django_db
def test_each_metric_comes_from_its_most_specific_policy():
    shipped = list(SlaPolicy.objects.all())
    chosen = choose(shipped, facts(channel="chat", complexity="complex"))
    assert chosen["first_response"].code == "chat"
    assert chosen["resolution"].code == "complex"
    assert "periodic_update" not in chosen
    key_account = SlaPolicy.objects.create(
        code="key", name_en="Key accounts", name_zh="重点客户", org_tier="key_account",
        channel="chat", first_response="1m", calendar=BusinessCalendar.objects.get(code="cn-chat"),
    )  # fmt: skip
    chosen = choose([*shipped, key_account], facts(channel="chat", org_tier="key_account"))
    assert chosen["first_response"] == key_account
    assert chosen["next_response"].code == "chat"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "metric", "expected"),
    [
        ({"channel": "chat"}, "first_response", ("3m", "cn-chat")),
        ({"channel": "phone"}, "first_response", ("1m", "cn-standard")),
        ({"channel": "email"}, "first_response", ("1d", "cn-standard")),
        ({"channel": "web"}, "first_response", ("1d", "cn-standard")),
        ({"channel": "web", "priority": "urgent"}, "first_response", ("2h", "cn-standard")),
        ({"channel": "chat", "priority": "urgent"}, "first_response", ("3m", "cn-chat")),
        ({"channel": "web"}, "resolution", ("1d", "cn-standard")),
        ({"category": "payment_billing", "priority": "urgent"}, "resolution", ("48h", "always")),
        ({"channel": "web", "is_emergency": True}, "resolution", ("24h", "always")),
        ({"channel": "web", "is_emergency": True}, "first_response", ("15m", "always")),
        ({"channel": "web", "is_complaint": True}, "first_response", ("72h", "always")),
    ],
)
def test_shipped_defaults_encode_the_charter(personas, fields, metric, expected):
    ticket = make_ticket(personas.anna, **fields)
    assert targets(ticket)[metric] == expected


@pytest.mark.django_db
def test_complexity_sets_the_resolution_target_and_special_cases_get_updates(personas):
    ticket = make_ticket(personas.anna)
    lena = personas.viewer(personas.lena)
    for complexity, target in (("complex", "5d"), ("multi_team", "7d")):
        actions.update_ticket(ticket=ticket, actor=lena, changes={"complexity": complexity})
        assert targets(ticket)["resolution"] == (target, "cn-standard")
    actions.update_ticket(ticket=ticket, actor=lena, changes={"complexity": "special"})
    found = {c.metric: c.state for c in SlaClock.objects.filter(ticket=ticket)}
    assert targets(ticket)["periodic_update"] == ("3d", "cn-standard")
    assert found["resolution"] == "cancelled"  # special cases promise updates, not a date


@pytest.mark.django_db
def test_key_account_tier_comes_from_the_organisation(personas):
    personas.acme.gmv_usd = 600_000
    personas.acme.save()
    assert TicketFacts.of(make_ticket(personas.anna)).org_tier == Organization.Tier.KEY_ACCOUNT
    assert TicketFacts.of(make_ticket(personas.otto)).org_tier == Organization.Tier.STANDARD
