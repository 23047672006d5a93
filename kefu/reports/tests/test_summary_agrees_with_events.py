"""Must show 1: a known history across the National Day week (holidays, a make-up Saturday),
with replies, a reopen, an SLA breach, ratings and a nudge; every summary figure equals an
independent recomputation from the raw events (business time counted minute by minute)."""

from datetime import datetime, timedelta

import pytest

from kefu.reports import rollup
from kefu.reports.stats import percentile
from kefu.sla import sweep as sla_sweep
from kefu.sla.clock import is_open
from kefu.sla.specs import calendar_for
from kefu.testing import api_client, make_ticket
from kefu.tickets import actions
from kefu.tickets.models import EventKind, Ticket, TicketEvent

from .conftest import SHANGHAI

FROM, TO = "2026-09-30", "2026-10-10"


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def build_history(p, frozen):  # type: ignore[no-untyped-def]
    alice, anna = p.viewer(p.alice), p.viewer(p.anna)

    def reply(ticket, who, when, text="ok"):  # type: ignore[no-untyped-def]
        frozen.set(when)
        actions.add_message(ticket=ticket, actor=who, body=text)

    def status(ticket, when, new):  # type: ignore[no-untyped-def]
        frozen.set(when)
        actions.change_status(ticket=ticket, actor=alice, status=new)

    frozen.set(at(9, 30, 17))  # the eve of the holiday: answered after it
    t1 = make_ticket(p.anna, subject="Before the holiday")
    reply(t1, alice, at(10, 8, 10))
    status(t1, at(10, 8, 11), "resolved")
    frozen.set(at(10, 8, 9))
    t2 = make_ticket(p.anna, channel="email", subject="Reopened")
    reply(t2, alice, at(10, 8, 9, 1))
    status(t2, at(10, 8, 12), "resolved")
    reply(t2, anna, at(10, 9, 10), "still broken")  # reopens
    reply(t2, alice, at(10, 9, 11, 30))
    status(t2, at(10, 9, 12), "resolved")
    frozen.set(at(10, 9, 17, 30))
    t3 = make_ticket(p.anna, subject="Answered on the make-up Saturday")
    reply(t3, alice, at(10, 10, 9, 30))
    frozen.set(at(10, 10, 11))
    t4 = make_ticket(p.anna, channel="chat", subject="Bot answered")
    actions.record_event(t4, anna, EventKind.RATED, new="satisfied")
    status(t4, at(10, 10, 11, 5), "resolved")
    frozen.set(at(10, 10, 12))
    t5 = make_ticket(p.anna, channel="chat", subject="Handed off, unhappy")
    actions.record_event(t5, anna, EventKind.CHAT_HANDOFF)
    reply(t5, alice, at(10, 10, 12, 2))
    actions.record_event(t5, anna, EventKind.RATED, new="unsatisfied")
    frozen.set(at(10, 9, 10))
    t6 = make_ticket(p.otto, subject="Never answered", is_complaint=True)
    actions.record_event(t6, p.viewer(p.otto), EventKind.NUDGED)
    frozen.set(at(10, 12, 18))  # after the period: the SLA sweeper records the breaches
    while sla_sweep.sweep(frozen.now):
        pass
    while rollup.sweep(frozen.now):
        pass


def open_seconds(calendar, start, end):  # type: ignore[no-untyped-def]
    """Business seconds by brute force: every minute the calendar is open."""
    minute, total = start, 0
    while minute < end:
        if is_open(calendar, minute):
            total += 60
        minute += timedelta(minutes=1)
    return total


def recompute(start: datetime, end: datetime) -> dict:  # type: ignore[type-arg]
    calendar = calendar_for(["cn-standard"], around=start)
    fr_b, fr_w, res_within, reopened, resolved, ratings = [], [], 0, 0, 0, []
    breached, with_target, complaints, nudges, chats, contained = 0, 0, 0, 0, 0, 0
    for ticket in Ticket.objects.filter(created_at__gte=start, created_at__lt=end):
        events = list(TicketEvent.objects.filter(ticket=ticket).order_by("created_at", "id"))
        agent = [e.created_at for e in events if e.kind == "reply" and e.data["role"] == "agent"]
        if agent:
            fr_w.append((agent[0] - ticket.created_at).total_seconds())
            fr_b.append(open_seconds(calendar, ticket.created_at, agent[0]))
        done = [
            e.created_at for e in events if e.field == "status" and e.new in ("resolved", "closed")
        ]
        if done:
            resolved += 1
            res_within += (done[0] - ticket.created_at) <= timedelta(hours=24)
        reopened += any(e.kind == "reopened" for e in events)
        ratings += [e.new for e in events if e.kind == "rated"][-1:]
        with_target += ticket.sla_clocks.exists()
        breached += any(e.kind == "sla_breach" for e in events)
        complaints += ticket.is_complaint
        nudges += sum(e.kind == "nudged" for e in events)
        if ticket.channel == "chat":
            chats += 1
            contained += bool(done) and not any(e.kind == "chat_handoff" for e in events)
    created = Ticket.objects.filter(created_at__gte=start, created_at__lt=end).count()
    return {
        "tickets_created": created, "fr_b": fr_b, "fr_w": fr_w, "within": res_within,
        "reopened": reopened, "resolved": resolved, "ratings": ratings, "breached": breached,
        "with_target": with_target, "complaints": complaints, "nudges": nudges,
        "chats": chats, "contained": contained,
    }  # fmt: skip


@pytest.mark.django_db
def test_every_summary_figure_equals_a_recomputation_from_events(personas, frozen):
    build_history(personas, frozen)
    got = api_client(personas.ada).get(f"/api/v1/reports/summary?from={FROM}&to={TO}").json()
    want = recompute(at(9, 30, 0), at(10, 11, 0))
    assert got["calendar"] == "cn-standard"
    assert got["tickets_created"] == want["tickets_created"] == 6
    assert got["first_response_median_seconds"] == round(percentile(want["fr_b"], 0.5), 1)
    assert got["first_response_p90_seconds"] == round(percentile(want["fr_b"], 0.9), 1)
    assert got["first_response_wall_median_seconds"] == round(percentile(want["fr_w"], 0.5), 1)
    # The eve-of-holiday ticket waited eight days on the wall, far less in business time.
    assert max(want["fr_w"]) > 7 * 86400 > max(want["fr_b"])
    assert got["solved_within_24h_rate"] == round(want["within"] / 6, 4)
    assert got["reopen_rate"] == round(want["reopened"] / want["resolved"], 4)
    assert got["sla_attainment_rate"] == round(
        (want["with_target"] - want["breached"]) / want["with_target"], 4
    )
    assert want["breached"] >= 1
    rated = want["ratings"]
    assert got["csat"]["satisfied"] == round(rated.count("satisfied") / len(rated), 4) == 0.5
    assert got["csat"]["unsatisfied"] == 0.5 and got["csat"]["neutral"] == 0.0
    assert got["csat"]["response_rate"] == round(len(rated) / want["resolved"], 4)
    assert got["complaints_per_100"] == round(100 * want["complaints"] / 6, 2)
    assert got["nudges_per_100"] == round(100 * want["nudges"] / 6, 2)
    assert got["bot_containment_rate"] == round(want["contained"] / want["chats"], 4) == 0.5
    unresolved = sum(1 for t in Ticket.objects.all() if t.resolved_at is None)
    assert got["backlog"] == unresolved == 3
    assert got["previous"]["tickets_created"] == 0


def recompute_times(start: datetime, end: datetime) -> dict:  # type: ignore[type-arg]
    """Next responses, resolutions, SLA per target and the backlog's ages, from raw events."""
    calendar = calendar_for(["cn-standard"], around=start)
    waits, res_b, res_w = [], [], []
    targets: dict[str, int] = {}
    breaches: dict[str, int] = {}
    for ticket in Ticket.objects.filter(created_at__gte=start, created_at__lt=end):
        events = list(TicketEvent.objects.filter(ticket=ticket).order_by("created_at", "id"))
        replies = [(e.created_at, e.data["role"]) for e in events if e.kind == "reply"]
        agent_at = [i for i, (_, role) in enumerate(replies) if role == "agent"]
        waiting = None
        for when, role in replies[agent_at[0] + 1 :] if agent_at else []:
            if role == "customer" and waiting is None:
                waiting = when
            elif role == "agent" and waiting is not None:
                waits.append(open_seconds(calendar, waiting, when))
                waiting = None
        done = [
            e.created_at for e in events if e.field == "status" and e.new in ("resolved", "closed")
        ]
        if done:
            res_b.append(open_seconds(calendar, ticket.created_at, done[0]))
            res_w.append((done[0] - ticket.created_at).total_seconds())
        for metric in set(ticket.sla_clocks.values_list("metric", flat=True)):
            targets[metric] = targets.get(metric, 0) + 1
        for metric in {e.data["metric"] for e in events if e.kind == "sla_breach"}:
            breaches[metric] = breaches.get(metric, 0) + 1
    ages = {"0-1d": 0, "1-3d": 0, "3-7d": 0, "7d+": 0}
    for ticket in Ticket.objects.filter(created_at__lt=end):
        done_at = (
            TicketEvent.objects.filter(
                ticket=ticket, field="status", new__in=["resolved", "closed"]
            )
            .order_by("created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if done_at is None or done_at >= end:
            days = (end - ticket.created_at) / timedelta(days=1)
            band = "0-1d" if days < 1 else "1-3d" if days < 3 else "3-7d" if days < 7 else "7d+"
            ages[band] += 1
    return {"waits": waits, "res_b": res_b, "res_w": res_w, "targets": targets,
            "breaches": breaches, "ages": ages}  # fmt: skip


def _p(values: list, share: float) -> float | None:  # type: ignore[type-arg]
    found = percentile(values, share)
    return None if found is None else round(found, 1)


@pytest.mark.django_db
def test_response_resolution_sla_and_backlog_figures_equal_a_recomputation(personas, frozen):
    build_history(personas, frozen)
    got = api_client(personas.ada).get(f"/api/v1/reports/summary?from={FROM}&to={TO}").json()
    want = recompute_times(at(9, 30, 0), at(10, 11, 0))
    assert want["waits"], "the reopened ticket had a next response"
    assert got["next_response_median_seconds"] == _p(want["waits"], 0.5)
    assert got["next_response_p90_seconds"] == _p(want["waits"], 0.9)
    assert got["resolution_median_seconds"] == _p(want["res_b"], 0.5)
    assert got["resolution_p90_seconds"] == _p(want["res_b"], 0.9)
    assert got["resolution_wall_median_seconds"] == _p(want["res_w"], 0.5)
    assert got["resolution_wall_p90_seconds"] == _p(want["res_w"], 0.9)
    assert want["breaches"], "the history has a breach"
    for metric, figures in got["sla"].items():
        tickets, breached = want["targets"].get(metric, 0), want["breaches"].get(metric, 0)
        assert (figures["tickets"], figures["breached"]) == (tickets, breached)
        assert figures["attainment_rate"] == (
            round((tickets - breached) / tickets, 4) if tickets else None
        )
    assert got["backlog_by_age"] == want["ages"]
    assert sum(want["ages"].values()) == got["backlog"]
