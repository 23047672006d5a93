"""Where each metric's cycle starts and ends, from a ticket's history (pure, no database)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from kefu.sla.calendars import shipped_calendar
from kefu.sla.cycles import History, cycle, evaluate, pauses

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def history(statuses=(), messages=()) -> History:
    return History(
        created_at=T0,
        initial_status="new",
        status_changes=tuple((at(m), s) for m, s in statuses),
        messages=tuple((at(m), who) for m, who in messages),
    )


def test_first_response_is_met_by_the_first_agent_reply():
    found = cycle("first_response", history(messages=[(5, "customer"), (9, "agent")]))
    assert (found.started_at, found.ended_at, found.outcome) == (T0, at(9), "met")


def test_first_response_runs_until_a_reply_and_is_cancelled_by_a_resolution():
    assert cycle("first_response", history()).outcome == "running"
    resolved = cycle("first_response", history(statuses=[(30, "resolved")]))
    assert (resolved.outcome, resolved.ended_at) == ("cancelled", at(30))


def test_next_response_starts_with_the_customer_after_the_first_reply():
    events = [(1, "agent"), (10, "customer"), (12, "customer"), (20, "agent"), (30, "customer")]
    waiting = cycle("next_response", history(messages=events))
    assert (waiting.started_at, waiting.outcome) == (at(30), "running")
    met = cycle("next_response", history(messages=events[:4]))
    assert (met.started_at, met.ended_at, met.outcome) == (at(10), at(20), "met")


def test_no_next_response_clock_before_the_first_response():
    assert cycle("next_response", history(messages=[(3, "customer")])) is None


def test_resolution_restarts_on_reopen():
    reopened = history(statuses=[(5, "open"), (60, "resolved"), (90, "open")])
    assert cycle("resolution", reopened).started_at == at(90)
    assert cycle("resolution", reopened).outcome == "running"
    closed = history(statuses=[(5, "open"), (60, "resolved"), (70, "closed")])
    assert (cycle("resolution", closed).ended_at, cycle("resolution", closed).outcome) == (
        at(60), "met",
    )  # fmt: skip


def test_periodic_update_restarts_with_each_agent_reply_and_ends_on_resolution():
    replies = history(messages=[(5, "agent"), (50, "agent")])
    assert cycle("periodic_update", replies).started_at == at(50)
    done = history(statuses=[(70, "resolved")], messages=[(5, "agent")])
    assert cycle("periodic_update", done).outcome == "met"


def test_pauses_are_the_spans_in_the_pause_statuses():
    h = history(
        statuses=[(5, "open"), (10, "pending_customer"), (40, "open"), (50, "pending_customer")]
    )
    assert pauses(h, ["pending_customer"], stopped=False) == [(at(10), at(40)), (at(50), None)]


def test_a_paused_clock_keeps_its_remaining_time_and_a_running_one_its_due():
    calendar = shipped_calendar("always", years=range(2025, 2028))
    h = history(statuses=[(10, "pending_customer")])
    paused = evaluate(
        calendar,
        "60m",
        cycle("resolution", h),
        pauses(h, ["pending_customer"], stopped=False),
        0.75,
    )
    assert (paused.state, paused.due_at, paused.remaining) == (
        "paused",
        None,
        timedelta(minutes=50),
    )
    resumed = history(statuses=[(10, "pending_customer"), (70, "open")])
    running = evaluate(
        calendar,
        "60m",
        cycle("resolution", resumed),
        pauses(resumed, ["pending_customer"], stopped=False),
        0.75,
    )
    assert running.state == "running"
    assert running.due_at == at(120)  # 10 min before the pause + 50 min after it
    assert running.warn_at == at(105)  # 45 min of clock time


def test_a_met_clock_records_how_much_was_left():
    calendar = shipped_calendar("always", years=range(2025, 2028))
    h = history(messages=[(20, "agent")])
    met = evaluate(calendar, "60m", cycle("first_response", h), [], 0.75)
    assert (met.state, met.met_at, met.remaining, met.due_at) == (
        "met",
        at(20),
        timedelta(minutes=40),
        at(60),
    )
