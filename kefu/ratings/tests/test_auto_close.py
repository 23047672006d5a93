"""Confirm-to-close and auto-close: a resolved ticket waits 3 working days (business calendar)
for the customer; a reminder goes one working day before; then it closes by itself. Confirming
closes it at once, a reply in the window reopens it; each step is mailed to the customer in
their language, and each timer fires once however many workers sweep."""

import threading
from datetime import datetime

import pytest
from django.db import connection

from kefu.delivery.models import Delivery
from kefu.intake import interactive
from kefu.ratings import sweep
from kefu.ratings.models import Resolution
from kefu.tickets import actions
from kefu.tickets.models import Channel, EventKind, Ticket, TicketEvent

from .conftest import SHANGHAI, resolve


def mails(ticket: Ticket, text: str) -> list[Delivery]:
    return list(Delivery.objects.filter(ticket=ticket, text__contains=text))


@pytest.mark.django_db
def test_reminded_one_working_day_before_and_closed_after_three(personas, frozen):
    frozen.set(datetime(2026, 11, 26, 15, tzinfo=SHANGHAI))  # Thursday 15:00
    ticket = resolve(personas)
    window = Resolution.objects.get(ticket=ticket)
    # Friday, Monday, Tuesday: the weekend does not count.
    assert window.remind_at == datetime(2026, 11, 30, 15, tzinfo=SHANGHAI)
    assert window.close_at == datetime(2026, 12, 1, 15, tzinfo=SHANGHAI)
    assert sweep.next_due() == window.remind_at

    frozen.set(datetime(2026, 11, 30, 14, 59, tzinfo=SHANGHAI))
    assert sweep.sweep(frozen.now) == 0
    frozen.set(datetime(2026, 11, 30, 15, 1, tzinfo=SHANGHAI))
    assert sweep.sweep(frozen.now) == 1
    assert sweep.sweep(frozen.now) == 0  # reminded once
    [reminder] = mails(ticket, "closes by itself at 2026-12-01 15:00")
    assert reminder.to == [personas.anna.email] and "/t/" in reminder.text

    frozen.set(datetime(2026, 12, 1, 15, 1, tzinfo=SHANGHAI))
    assert sweep.auto_close(window.pk) and not sweep.auto_close(window.pk)  # a second worker
    ticket.refresh_from_db()
    assert ticket.status == "closed"
    assert Resolution.objects.get(pk=window.pk).state == "auto_closed"
    [closed] = mails(ticket, "we heard nothing from you")
    assert "score=unsatisfied" in closed.text
    assert sweep.next_due() is None


@pytest.mark.django_db
def test_confirming_closes_at_once_and_thanks_with_the_rating_link(personas, frozen):
    ticket = resolve(personas)
    actions.change_status(ticket=ticket, actor=personas.viewer(personas.anna), status="closed")
    assert Resolution.objects.get(ticket=ticket).state == "confirmed"
    [thanks] = mails(ticket, "Thank you for confirming")
    assert "score=satisfied" in thanks.text
    frozen.advance(days=10)
    assert sweep.sweep(frozen.now) == 0 and sweep.next_due() is None


@pytest.mark.django_db
def test_a_reply_in_the_window_reopens_the_ticket_and_stops_the_timers(personas, frozen):
    ticket = resolve(personas)
    interactive.reply(channel=Channel.WEB, viewer=personas.viewer(personas.anna), ticket=ticket,
                      body="It broke again.")  # fmt: skip
    ticket.refresh_from_db()
    assert ticket.status == "open"
    assert Resolution.objects.get(ticket=ticket).state == "reopened"
    assert len(mails(ticket, "Your reply reopened ticket")) == 1
    frozen.advance(days=10)
    assert sweep.sweep(frozen.now) == 0
    ticket.refresh_from_db()
    assert ticket.status == "open"


@pytest.mark.django_db
def test_chinese_customers_get_the_steps_in_chinese_and_the_window_is_configurable(
    personas, frozen, settings
):
    settings.KEFU_AUTO_CLOSE_WORKING_DAYS = 1
    from kefu.testing import make_ticket

    ticket = make_ticket(personas.otto, language="zh")
    resolve(personas, ticket)
    window = Resolution.objects.get(ticket=ticket)
    assert window.remind_at is None  # a one-day window has no reminder
    assert window.close_at == datetime(2026, 11, 24, 10, tzinfo=SHANGHAI)
    frozen.set(window.close_at)
    assert sweep.sweep(frozen.now) == 1
    [closed] = mails(ticket, "已关闭")
    assert "此后几天内我们未收到您的答复" in closed.text and "不满意" in closed.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_close_each_due_ticket_once(personas, frozen):
    """Both sweep at once, as ``kefu worker`` processes would: each ticket is reminded once,
    closed once and mailed once."""
    from kefu.jobs.worker import run_once

    tickets = [resolve(personas) for _ in range(8)]
    frozen.set(Resolution.objects.order_by("-close_at").first().close_at)
    counts: list[dict[str, int]] = []

    def work() -> None:
        try:
            counts.append(run_once(["resolution-window"]))
        finally:
            connection.close()

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sum(c["resolution-window"] for c in counts) == 16  # 8 reminders and 8 closes
    for ticket in tickets:
        closes = TicketEvent.objects.filter(ticket=ticket, kind=EventKind.STATUS, new="closed")
        assert closes.count() == 1
        assert len(mails(ticket, "we heard nothing from you")) == 1
        assert len(mails(ticket, "closes by itself at")) == 0  # due together: no stale reminder
