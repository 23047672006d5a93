"""Ratings are kept with the record (the charter: record, process, result and rating for two
years): an archived ticket's snapshot carries them, a person's export lists them, and an
erasure scrubs the person from their comments."""

import json
import zipfile
from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone

from kefu.archive import actions as archive
from kefu.archive import subjects
from kefu.archive.models import ArchivedTicket
from kefu.ratings import actions
from kefu.ratings.models import Rating
from kefu.tickets import actions as ticket_actions
from kefu.tickets.models import Ticket

from .conftest import resolve


@pytest.mark.django_db
def test_the_archive_keeps_the_rating_and_erasure_scrubs_its_comment(personas):
    anna = personas.viewer(personas.anna)
    kept = resolve(personas)
    actions.rate_ticket(ticket=kept, actor=anna, score="unsatisfied",
                        comment="Anna waited a week", via=Rating.Via.API)  # fmt: skip
    ticket_actions.change_status(ticket=kept, actor=anna, status="closed")
    Ticket.objects.filter(pk=kept.pk).update(closed_at=timezone.now() - timedelta(days=800))
    archive.run_archiving(dry_run=False)
    [rating] = ArchivedTicket.objects.get(number=kept.number).snapshot["ratings"]
    assert (rating["score"], rating["comment"], rating["via"]) == (
        "unsatisfied", "Anna waited a week", "api")  # fmt: skip

    live = resolve(personas)
    actions.rate_ticket(ticket=live, actor=anna, score="neutral",
                        comment="Ask Anna at anna@acme.test", via=Rating.Via.PORTAL)  # fmt: skip
    with zipfile.ZipFile(BytesIO(subjects.export_person(user=personas.anna))) as exported:
        person = json.loads(exported.read("person.json"))
    assert any(r["comment"] == "Ask Anna at anna@acme.test"
               for t in person["tickets"] for r in t["ratings"])  # fmt: skip
    subjects.erase_person(user=personas.anna, actor=personas.ada)
    comment = Rating.objects.get(ticket=live).comment
    assert "anna@acme.test" not in comment and "Anna" not in comment
