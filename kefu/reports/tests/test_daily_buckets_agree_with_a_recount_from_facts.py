"""The daily buckets the sweeper keeps current incrementally (each refreshed fact moves its
contribution from its old bucket to its new one) equal a plain recount from the facts after a
random run of changes — replies, resolutions, reopenings, ratings, reassignment to another
team, category or agent, and a ticket whose creation day moves — and the rebuild command
gives back the same rows."""

import random
from contextlib import suppress
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from kefu.accounts.models import Team
from kefu.errors import KefuError
from kefu.ratings import actions as ratings
from kefu.ratings.models import Rating
from kefu.reports import buckets, rollup
from kefu.reports.models import DailyBucket, TicketFact
from kefu.testing import make_ticket
from kefu.tickets import actions
from kefu.tickets.models import Category, Ticket


def stored() -> list[dict]:
    return sorted(
        ({name: row[name] for name in (*buckets.KEY, *buckets.COUNTED)}
         for row in DailyBucket.objects.values()),
        key=lambda row: tuple(str(row[name]) for name in buckets.KEY),
    )  # fmt: skip


def recounted() -> list[dict]:
    return sorted(
        buckets.recount(TicketFact.objects.all()),
        key=lambda row: tuple(str(row[name]) for name in buckets.KEY),
    )


def sweep() -> None:
    while rollup.sweep(timezone.now()):
        pass


def change(p, rng: random.Random, ticket: Ticket) -> None:  # type: ignore[no-untyped-def]
    ticket.refresh_from_db()
    agent, customer = p.viewer(p.ada), p.viewer(ticket.requester)
    match rng.choice(["reply", "ask", "resolve", "reopen", "rate", "reassign", "move"]):
        case "reply":
            actions.add_message(ticket=ticket, actor=agent, body="We are on it.")
        case "ask":
            actions.add_message(ticket=ticket, actor=customer, body="Any news?")
        case "resolve":
            actions.change_status(ticket=ticket, actor=agent, status="resolved")
        case "reopen":
            actions.change_status(ticket=ticket, actor=agent, status="open")
        case "rate":
            score = rng.choice(["satisfied", "neutral", "unsatisfied"])
            ratings.rate_ticket(ticket=ticket, actor=customer, score=score, via=Rating.Via.API)
        case "reassign":
            changes = {
                "team": rng.choice([None, *Team.objects.all()]),
                "category": rng.choice([None, *Category.objects.all()]),
                "assignee": rng.choice([None, p.alice.agent, p.bob.agent]),
            }
            actions.update_ticket(ticket=ticket, actor=agent, changes=changes)
        case "move":  # e.g. a ticket imported with its original date: its day changes
            days = timedelta(days=rng.randint(1, 40))
            Ticket.objects.filter(pk=ticket.pk).update(created_at=F("created_at") - days)
            rollup.mark([ticket.pk])


@pytest.mark.django_db
def test_buckets_follow_random_changes_and_equal_the_recount(personas):
    rng = random.Random(16)
    channels = ["web", "email", "chat", "api"]
    tickets = [make_ticket(rng.choice([personas.anna, personas.otto]),
                           channel=rng.choice(channels)) for _ in range(12)]  # fmt: skip
    sweep()
    assert stored() == recounted() and sum(r["created"] for r in stored()) == 12
    for _ in range(4):
        for ticket in rng.sample(tickets, 8):
            with suppress(KefuError):  # e.g. resolving a resolved ticket: not a change
                change(personas, rng, ticket)
        sweep()
        assert stored() == recounted()
    assert all(row["created"] > 0 for row in stored())  # emptied buckets are removed
    assert sum(row["resolved"] + row["unresolved"] for row in stored()) == 12


@pytest.mark.django_db
def test_the_rebuild_command_recounts_the_same_buckets(personas):
    for channel in ("web", "chat"):
        make_ticket(personas.anna, channel=channel)
    sweep()
    kept = stored()
    DailyBucket.objects.update(created=99)  # damaged, e.g. by a restore of only one table
    out = StringIO()
    call_command("rebuild_report_buckets", stdout=out)
    assert stored() == kept and "2 daily buckets" in out.getvalue()
