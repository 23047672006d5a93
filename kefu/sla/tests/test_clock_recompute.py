"""Clocks are rebuilt from the ticket's history: priority, replies, status and policy changes."""

import io
from datetime import datetime

import pytest
from django.core.management import call_command

from kefu.sla.models import BusinessCalendar, SlaClock, SlaPolicy
from kefu.sla.tasks import rebuild_open_clocks
from kefu.testing import make_ticket
from kefu.tickets import actions

from .conftest import SHANGHAI


def shanghai(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def clock(ticket, metric: str) -> SlaClock:
    return SlaClock.objects.get(ticket=ticket, metric=metric)


@pytest.mark.django_db
def test_raising_and_lowering_priority_moves_the_due_time(personas, frozen):
    ticket = make_ticket(personas.anna)  # web, Monday 10:00
    assert clock(ticket, "first_response").due_at == shanghai(24, 10)
    lena = personas.viewer(personas.lena)
    frozen.set(shanghai(23, 11))
    actions.update_ticket(ticket=ticket, actor=lena, changes={"priority": "urgent"})
    assert clock(ticket, "first_response").due_at == shanghai(23, 12)  # 2 h from creation
    actions.update_ticket(ticket=ticket, actor=lena, changes={"priority": "normal"})
    assert clock(ticket, "first_response").due_at == shanghai(24, 10)


@pytest.mark.django_db
def test_first_response_is_met_by_a_public_reply_not_by_a_note(personas, frozen):
    ticket = make_ticket(personas.anna)
    alice = personas.viewer(personas.alice)
    frozen.set(shanghai(23, 11))
    actions.add_message(ticket=ticket, actor=alice, body="internal", internal=True)
    assert clock(ticket, "first_response").state == "running"
    frozen.set(shanghai(23, 12))
    actions.add_message(ticket=ticket, actor=alice, body="We are on it.")
    first = clock(ticket, "first_response")
    assert (first.state, first.met_at, first.remaining_seconds) == (
        "met",
        shanghai(23, 12),
        7 * 3600,
    )


@pytest.mark.django_db
def test_next_response_restarts_with_each_customer_message(personas, frozen):
    ticket = make_ticket(personas.anna)
    alice, anna = personas.viewer(personas.alice), personas.viewer(personas.anna)
    assert not SlaClock.objects.filter(ticket=ticket, metric="next_response").exists()
    frozen.set(shanghai(23, 11))
    actions.add_message(ticket=ticket, actor=alice, body="Which order?")
    frozen.set(shanghai(23, 15))
    actions.add_message(ticket=ticket, actor=anna, body="PO-1")
    assert clock(ticket, "next_response").started_at == shanghai(23, 15)
    assert clock(ticket, "next_response").due_at == shanghai(24, 15)
    frozen.set(shanghai(24, 9, 30))
    actions.add_message(ticket=ticket, actor=alice, body="Found it.")
    assert clock(ticket, "next_response").state == "met"
    frozen.set(shanghai(24, 11))
    actions.add_message(ticket=ticket, actor=anna, body="And PO-2?")
    assert (clock(ticket, "next_response").state, clock(ticket, "next_response").started_at) == (
        "running", shanghai(24, 11),
    )  # fmt: skip


@pytest.mark.django_db
def test_resolution_is_met_on_resolve_and_starts_over_on_reopen(personas, frozen):
    ticket = make_ticket(personas.anna)
    alice = personas.viewer(personas.alice)
    frozen.set(shanghai(23, 16))
    actions.change_status(ticket=ticket, actor=alice, status="resolved")
    assert (clock(ticket, "resolution").state, clock(ticket, "resolution").met_at) == (
        "met", shanghai(23, 16),
    )  # fmt: skip
    frozen.set(shanghai(25, 10))
    actions.change_status(ticket=ticket, actor=personas.viewer(personas.anna), status="open")
    reopened = clock(ticket, "resolution")
    assert (reopened.state, reopened.started_at, reopened.due_at) == (
        "running", shanghai(25, 10), shanghai(26, 10),
    )  # fmt: skip


@pytest.mark.django_db
def test_a_policy_change_applies_after_a_rebuild(personas, frozen):
    ticket = make_ticket(personas.anna)
    SlaPolicy.objects.filter(code="default").update(first_response="4h")
    assert clock(ticket, "first_response").due_at == shanghai(24, 10)  # not yet rebuilt
    call_command("sla", "rebuild", stdout=io.StringIO())
    assert clock(ticket, "first_response").due_at == shanghai(23, 14)
    SlaPolicy.objects.filter(code="default").update(first_response="2h")
    rebuild_open_clocks.enqueue()  # what the admin queues on save (inline in tests)
    assert clock(ticket, "first_response").due_at == shanghai(23, 12)


@pytest.mark.django_db
def test_follow_the_sun_policy_runs_while_either_calendar_is_open(personas, frozen):
    policy = SlaPolicy.objects.create(
        code="global", name_en="Global", name_zh="全球", channel="web", first_response="2h",
        calendar=BusinessCalendar.objects.get(code="cn-standard"), order=1,
    )  # fmt: skip
    policy.extra_calendars.add(BusinessCalendar.objects.get(code="us-standard"))
    frozen.set(shanghai(23, 17))  # 17:00 Shanghai = 04:00 New York
    ticket = make_ticket(personas.anna)
    first = clock(ticket, "first_response")
    assert first.calendars == "cn-standard+us-standard"
    # One hour in Shanghai, then New York opens at 09:00 EST = 22:00 Shanghai.
    assert first.due_at == shanghai(23, 23)


@pytest.mark.django_db
def test_a_breach_stands_when_the_target_tightens_and_lifts_when_it_relaxes(personas, frozen):
    ticket = make_ticket(personas.anna)
    frozen.set(shanghai(24, 10, 30))
    first = clock(ticket, "first_response")
    SlaClock.objects.filter(pk=first.pk).update(state="breached", breached_at=frozen.now)
    lena = personas.viewer(personas.lena)
    actions.update_ticket(ticket=ticket, actor=lena, changes={"priority": "urgent"})
    assert (clock(ticket, "first_response").state, clock(ticket, "first_response").breached_at) == (
        "breached", shanghai(24, 10, 30),
    )  # fmt: skip
    SlaPolicy.objects.filter(code="urgent").update(first_response="5d")
    actions.update_ticket(ticket=ticket, actor=lena, changes={"priority": "high"})
    actions.update_ticket(ticket=ticket, actor=lena, changes={"priority": "urgent"})
    relaxed = clock(ticket, "first_response")
    assert (relaxed.state, relaxed.breached_at, relaxed.due_at) == (
        "running",
        None,
        shanghai(30, 10),
    )
