"""Must show 5: archiving moves tickets closed more than two years ago out of the live tables
(a dry run first, legal holds respected); queues and default search stop showing them, a direct
link shows them read-only. An erasure leaves no email, name or phone of the person anywhere in
the database (every table read back)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from kefu.accounts.actions import create_customer
from kefu.archive import actions, retention, subjects
from kefu.archive.models import ArchivedTicket, LegalHold, RetentionRule
from kefu.audit.models import AuditEntry
from kefu.reports.models import TicketFact
from kefu.reports.rollup import refresh
from kefu.testing import PASSWORD, api_client, make_ticket, session_client
from kefu.tickets import actions as ticket_actions
from kefu.tickets.models import Ticket


def closed_long_ago(personas, subject: str, days: int = 800) -> Ticket:  # type: ignore[no-untyped-def]
    ticket = make_ticket(personas.anna, subject=subject)
    lena = personas.viewer(personas.lena)
    ticket_actions.add_message(ticket=ticket, actor=personas.viewer(personas.alice), body="Done.")
    ticket_actions.change_status(ticket=ticket, actor=lena, status="resolved")
    ticket_actions.change_status(ticket=ticket, actor=lena, status="closed")
    Ticket.objects.filter(pk=ticket.pk).update(closed_at=timezone.now() - timedelta(days=days))
    return Ticket.objects.get(pk=ticket.pk)


@pytest.mark.django_db
def test_old_closed_tickets_move_to_the_archive_after_a_dry_run(personas):
    old = closed_long_ago(personas, "Archive me")
    held = closed_long_ago(personas, "Under hold")
    recent = closed_long_ago(personas, "Closed last month", days=30)
    refresh([old.pk])
    LegalHold.objects.create(ticket_number=held.number, reason="dispute")
    dry = actions.run_archiving(dry_run=True)
    assert (dry.counts["tickets"], dry.sample) == (1, [old.number])
    assert Ticket.objects.filter(pk=old.pk).exists()
    real = actions.run_archiving(dry_run=False)
    assert real.counts["tickets"] == 1
    assert not Ticket.objects.filter(pk=old.pk).exists()
    assert set(Ticket.objects.values_list("pk", flat=True)) == {held.pk, recent.pk}
    assert TicketFact.objects.filter(ticket_id=old.pk).exists()  # reports keep it
    archived = ArchivedTicket.objects.get(number=old.number)
    assert [m["body"] for m in archived.snapshot["messages"]][-1] == "Done."
    runs = AuditEntry.objects.filter(kind="archive_run").order_by("id")
    assert list(runs.values_list("detail", flat=True)) == [
        {"dry_run": True, "tickets": 1}, {"dry_run": False, "tickets": 1}]  # fmt: skip

    agent = session_client(personas.alice)
    row = f"/desk/t/{old.number}/"
    assert row not in agent.get("/desk/?status=closed").content.decode()
    assert row not in agent.get(f"/desk/?q={old.number}").content.decode()
    assert f"/desk/t/{recent.number}/" in agent.get("/desk/?status=closed").content.decode()
    link = agent.get(f"/desk/t/{old.number}/")
    assert link.status_code == 302 and link["Location"] == f"/archive/t/{old.number}/"
    page = agent.get(link["Location"]).content.decode()
    assert "Archive me" in page and "Done." in page and "<textarea" not in page
    found = api_client(personas.anna).get("/api/v1/archive/tickets?q=Archive").json()
    assert [t["number"] for t in found] == [old.number]
    assert api_client(personas.otto).get(f"/api/v1/archive/tickets/{old.number}").status_code == 404


@pytest.mark.django_db
def test_retention_dry_run_reports_and_the_real_run_purges(personas):
    ticket = make_ticket(personas.anna, channel="chat", body="My card 4111 1111 1111 1111")
    ticket_actions.add_message(ticket=ticket, actor=personas.viewer(personas.anna), body="hi Anna")
    Ticket.objects.filter(pk=ticket.pk).update(created_at=timezone.now() - timedelta(days=400))
    RetentionRule.objects.create(kind="chat_transcripts", action="anonymise", after_days=365)
    dry = retention.run_retention(dry_run=True)
    assert dry.counts["chat_transcripts"]["items"] == 2
    assert "hi Anna" in ticket.messages.values_list("body", flat=True)
    retention.run_retention(dry_run=False)
    assert "hi [anonymised]" in ticket.messages.values_list("body", flat=True)


def database_text() -> str:
    """Every row of every table, as text: what a dump of the database would hold."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            chunks += [repr(row) for row in cursor.fetchall()]
    return "\n".join(chunks).lower()


@pytest.mark.django_db
def test_an_erasure_leaves_no_email_name_or_phone(personas):
    account = create_customer(email="zhou.xiaoyu@acme.test", name="Zhou Xiaoyu", language="en",
                              organization=personas.acme, password=PASSWORD, is_main=False,
                              scopes=["create_tickets"])  # fmt: skip
    person = account.user
    person.phone = "+86 138 0013 8000"
    person.save()
    ticket = make_ticket(
        person,
        subject="Zhou Xiaoyu needs help",
        body="I am Zhou Xiaoyu, call +86 138 0013 8000 or zhou.xiaoyu@acme.test",
    )
    ticket_actions.add_message(ticket=ticket, actor=personas.viewer(personas.alice),
                               body="Dear Zhou Xiaoyu, we will call you.")  # fmt: skip
    Client().post("/login/", {"username": "zhou.xiaoyu@acme.test", "password": "wrong"})
    closed_long_ago(personas, "unrelated")
    export = subjects.export_person(user=person)
    assert b"person.json" in export
    assert "zhou.xiaoyu@acme.test" in database_text()
    erasure = subjects.erase_person(user=person, actor=personas.ada)
    text = database_text()
    for trace in ("zhou.xiaoyu@acme.test", "zhou xiaoyu", "+86 138 0013 8000"):
        assert trace not in text, trace
    assert erasure.tombstone in text
    ticket.refresh_from_db()
    assert ticket.requester.email == erasure.tombstone
    assert ticket.events.count() > 1  # the history stays
    assert list(AuditEntry.objects.filter(kind__in=["data_export", "erasure"])
                .values_list("kind", flat=True).order_by("id")) == ["data_export", "erasure"]  # fmt: skip
