"""The customer's language picks the macro's text; SLA due times are written in the
customer's time zone."""

from datetime import UTC, datetime, timedelta

import pytest

from kefu.macros.models import Macro, Scope
from kefu.macros.queries import rendered
from kefu.sla.models import SlaClock
from kefu.testing import make_ticket, session_client


@pytest.mark.django_db
def test_chinese_customers_get_the_chinese_text_and_english_ones_the_english(personas):
    macro = Macro.objects.create(title_en="Hi", title_zh="问候", scope=Scope.GLOBAL,
                                 text_en="Hello {{customer.name}}", text_zh="{{customer.name}}您好")  # fmt: skip
    otto_ticket = make_ticket(personas.otto, category="payment_billing")
    bob = session_client(personas.bob)
    body = bob.get(f"/desk/macros/{macro.pk}/render/?ticket={otto_ticket.number}").json()
    assert (body["language"], body["text"]) == ("zh", "Otto您好")
    anna_ticket = make_ticket(personas.anna)
    alice = session_client(personas.alice)
    body = alice.get(f"/desk/macros/{macro.pk}/render/?ticket={anna_ticket.number}").json()
    assert (body["language"], body["text"]) == ("en", "Hello Anna")
    english_only = Macro.objects.create(title_en="E", title_zh="E", scope=Scope.GLOBAL,
                                        text_en="Only English")  # fmt: skip
    body = bob.get(f"/desk/macros/{english_only.pk}/render/?ticket={otto_ticket.number}").json()
    assert body["text"] == "Only English"


@pytest.mark.django_db
def test_sla_due_times_are_in_the_customers_time_zone(personas):
    ticket = make_ticket(personas.anna)
    due = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
    SlaClock.objects.update_or_create(
        ticket=ticket, metric="resolution",
        defaults={"target": "3d", "calendars": "cn-standard", "started_at": due - timedelta(days=3),
                  "state": "running", "due_at": due},
    )  # fmt: skip
    alice = personas.viewer(personas.alice)
    text = "Due {{sla.resolution_due}}"
    assert rendered(text, ticket, alice) == "Due 2026-12-07 10:00 (Asia/Shanghai)"  # the site's
    personas.anna.time_zone = "America/New_York"
    personas.anna.save()
    ticket.requester.refresh_from_db()
    assert rendered(text, ticket, alice) == "Due 2026-12-06 21:00 (America/New_York)"
    assert rendered("{{sla.first_response_due}}", ticket, alice) != ""
