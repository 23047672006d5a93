"""An order-scoped sub-account (may create tickets, not billing ones) is never refused for the
classifier's guess: free text read as billing falls back to a category they may file under, or
to "needs triage". Their own permitted choice wins over the guess; an explicit choice they may
not make is still refused."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kefu.testing import api_client, session_client
from kefu.tickets.models import Ticket
from kefu.triage.store import current_model

URL = "/api/v1/tickets"
BILLING = "payment_billing"
EXAMPLES = Path(__file__).resolve().parents[2] / "triage" / "data"


def billing_texts(count: int) -> list[str]:
    """Shipped examples the model files under billing with confidence."""
    texts = []
    for name in ("examples_zh.csv", "examples_en.csv"):
        with (EXAMPLES / name).open(encoding="utf-8") as rows:
            texts += [row["text"] for row in csv.DictReader(rows) if row["category"] == BILLING]
    model = current_model()
    confident = [t for t in texts if model.predict(t).ticket_category == BILLING]
    return confident[:count]


def create(user, **payload):
    return api_client(user).post(URL, payload, content_type="application/json")


@pytest.mark.django_db
def test_free_text_read_as_billing_is_filed_not_refused(personas):
    texts = billing_texts(12)
    assert len(texts) == 12
    for index, text in enumerate(texts):
        response = create(
            personas.sam, subject=f"{text} ({index})", body=f"{text}，订单 PO-{index}"
        )
        assert response.status_code == 201, (text, response.content)
    for ticket in Ticket.objects.all():
        assert ticket.category_id is None or ticket.category.code != BILLING
        assert ticket.triage.get("not_permitted") == BILLING
    sam = api_client(personas.sam)
    for number in Ticket.objects.values_list("number", flat=True):
        assert sam.get(f"{URL}/{number}").status_code == 200  # theirs to follow


@pytest.mark.django_db
def test_their_own_permitted_choice_wins_over_the_guess(personas):
    [text] = billing_texts(1)
    response = create(personas.sam, subject=text, body=text, category="shipment_logistics")
    assert response.status_code == 201, response.content
    assert Ticket.objects.get().category.code == "shipment_logistics"


@pytest.mark.django_db
def test_an_explicit_choice_they_may_not_make_is_still_refused(personas):
    response = create(personas.sam, subject="发票开错了", body="请重开发票", category=BILLING)
    assert response.status_code == 403 and "category" in str(response.json())


@pytest.mark.django_db
def test_the_portal_files_billing_sounding_text_of_a_sub_account(personas):
    [text] = billing_texts(1)
    client = session_client(personas.sam)
    client.get("/portal/new/")
    form = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, "category": "",
            "subject": text, "body": text}  # fmt: skip
    assert client.post("/portal/new/", form).status_code == 302
    assert Ticket.objects.get().triage.get("not_permitted") == BILLING
