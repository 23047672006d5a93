"""Below the confidence threshold (a setting, 0.6 by default) a ticket goes to the "needs
triage" queue with the model's guess shown instead of a guessed category."""

import pytest

from kefu.intake.base import InboundMessage
from kefu.intake.ingest import ingest
from kefu.testing import session_client
from kefu.triage import config

VAGUE = "hmm, about that thing from before"


def _ingest(text, n=1):
    return ingest(InboundMessage(channel="email", external_id=f"v{n}@x", subject="", text=text,
                                 sender_address="anna@acme.test")).ticket  # fmt: skip


def test_the_default_threshold_is_the_calibrated_one():
    assert config.confidence_threshold() == 0.6


@pytest.mark.django_db
def test_an_unsure_model_sends_the_ticket_to_needs_triage_with_its_guess(personas, settings):
    settings.KEFU_TRIAGE_CONFIDENCE = 0.99
    ticket = _ingest("Order PO-88123 was placed last week and still shows unpaid, can you check?")
    assert ticket.category is None and ticket.team.code == "triage" and ticket.assignee is None
    details = ticket.triage
    assert details["needs_triage"] and details["threshold"] == 0.99
    assert details["model"][0][0] == "order_trade" and 0.6 < details["confidence"] < 0.99
    assert details["routing"]["how"] == "needs_triage"
    page = session_client(personas.ada).get(f"/desk/t/{ticket.number}/").content.decode()
    assert "Needs triage" in page and "Model's guesses" in page and "Trade &amp; orders 0.9" in page


@pytest.mark.django_db
def test_a_confident_model_sets_the_category_and_team(personas, settings):
    settings.KEFU_TRIAGE_CONFIDENCE = 0.5
    ticket = _ingest("Order PO-88123 was placed last week and still shows unpaid, can you check?")
    assert ticket.category.code == "order_trade" and ticket.team.code == "orders"
    assert not ticket.triage["needs_triage"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_choosing_a_category_moves_it_to_that_team(personas, settings):
    from kefu.testing import api_client

    settings.KEFU_TRIAGE_CONFIDENCE = 0.99
    ticket = _ingest("Order PO-88123 was placed last week and still shows unpaid, can you check?")
    response = api_client(personas.ada).patch(f"/api/v1/tickets/{ticket.number}", {"category": "order_trade"},
                                              content_type="application/json")  # fmt: skip
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.team.code == "orders" and ticket.triage["routing"]["team"] == "orders"
