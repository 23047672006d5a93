"""The quarantine in the admin: what failed and why, the raw message (safely), the admin's fix,
re-processing into exactly one ticket, and discarding."""

from __future__ import annotations

import pytest

from kefu.intake.email.inbound import deliver
from kefu.intake.models import InboundRecord, Outcome, Quarantine
from kefu.testing import session_client
from kefu.tickets.models import Ticket

CHANGELIST = "/admin/intake/quarantine/"
NAMELESS = (
    "To: service@kefu.example.com\r\n"
    "Subject: =?utf-8?b?6K6i5Y2VIFBPLTcg6L+Y5rKh5Yiw?=\r\n"
    "Message-ID: <nameless@webform.example>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\n"
    "订单 PO-7 还没到 <script>alert('x')</script>\r\n"
).encode()


@pytest.fixture
def held(personas) -> Quarantine:
    assert deliver(NAMELESS).outcome == Outcome.QUARANTINED
    return Quarantine.objects.get()


@pytest.mark.django_db
def test_the_list_shows_stage_reason_sender_and_subject(held, personas):
    page = session_client(personas.ada).get(CHANGELIST).content.decode()
    assert "identity" in page and "no usable sender address" in page
    assert "订单 PO-7 还没到" in page
    assert session_client(personas.alice).get(CHANGELIST).status_code == 302  # staff only


@pytest.mark.django_db
def test_the_raw_message_is_shown_as_escaped_text(held, personas):
    page = session_client(personas.ada).get(f"{CHANGELIST}{held.pk}/raw/").content.decode()
    assert "Message-ID: &lt;nameless@webform.example&gt;" in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<script>alert" not in page


@pytest.mark.django_db
def test_an_admin_fixes_the_sender_and_reprocessing_makes_exactly_one_ticket(held, personas):
    client = session_client(personas.ada)
    client.get(f"{CHANGELIST}{held.pk}/change/")
    token = client.cookies["csrftoken"].value
    saved = client.post(f"{CHANGELIST}{held.pk}/change/",
                        {"sender": "anna@acme.test", "csrfmiddlewaretoken": token})  # fmt: skip
    assert saved.status_code == 302
    held.refresh_from_db()
    assert held.sender == "anna@acme.test" and held.stage == "identity"  # only the sender changed
    action = {"action": "reprocess_selected", "_selected_action": [held.pk],
              "csrfmiddlewaretoken": token}  # fmt: skip
    client.post(CHANGELIST, action)
    client.post(CHANGELIST, action)  # a second click finds nothing held
    held.refresh_from_db()
    ticket = Ticket.objects.get()
    assert held.state == Quarantine.State.REPROCESSED and held.ticket == ticket
    assert ticket.requester == personas.anna and ticket.subject == "订单 PO-7 还没到"
    assert InboundRecord.objects.get().external_id == "nameless@webform.example"


@pytest.mark.django_db
def test_reprocessing_without_a_fix_keeps_it_held_and_counts_the_attempt(held, personas):
    client = session_client(personas.ada)
    client.get(CHANGELIST)
    client.post(CHANGELIST, {"action": "reprocess_selected", "_selected_action": [held.pk],
                             "csrfmiddlewaretoken": client.cookies["csrftoken"].value})  # fmt: skip
    held.refresh_from_db()
    assert (held.state, held.attempts) == (Quarantine.State.HELD, 2)
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_discard(held, personas):
    client = session_client(personas.ada)
    client.get(CHANGELIST)
    client.post(CHANGELIST, {"action": "discard_selected", "_selected_action": [held.pk],
                             "csrfmiddlewaretoken": client.cookies["csrftoken"].value})  # fmt: skip
    held.refresh_from_db()
    assert held.state == Quarantine.State.DISCARDED and held.resolved_at is not None
    assert not Ticket.objects.exists()
