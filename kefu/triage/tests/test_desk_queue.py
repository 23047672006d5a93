"""The agents' queue ranks by priority score, not arrival, and says why; "next ticket" takes
the best unassigned one; the ticket page explains its triage."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kefu.testing import make_ticket, session_client
from kefu.tickets.models import Ticket
from kefu.triage import score_refresh


def _ticket(requester, **fields) -> Ticket:
    ticket = make_ticket(requester, **fields)
    score_refresh.refresh(ticket)
    return ticket


@pytest.mark.django_db
def test_the_queue_is_ordered_by_score_and_shows_the_reasons(personas):
    old = _ticket(
        personas.anna, subject="Old plain question", created_at=timezone.now() - timedelta(hours=3)
    )
    urgent = _ticket(personas.anna, subject="Urgent one", priority="urgent")
    personas.orbit.tier = "key_account"
    personas.orbit.save()
    key = _ticket(personas.otto, subject="Key account question")
    page = session_client(personas.alice).get("/desk/").content.decode()
    positions = [page.index(t.number) for t in (urgent, key, old)]
    assert positions == sorted(positions)
    assert "Priority: urgent +40" in page and "Key account +20" in page and "Waiting 3 h +6" in page


@pytest.mark.django_db
def test_the_queue_speaks_chinese_to_chinese_agents(personas):
    _ticket(personas.anna, priority="urgent")
    page = session_client(personas.alice).get("/desk/", headers={"Accept-Language": "zh-CN"})
    assert "优先级：紧急 +40" in page.content.decode()


@pytest.mark.django_db
def test_next_ticket_takes_the_best_unassigned_one_of_my_teams(personas):
    _ticket(personas.anna, subject="plain")
    best = _ticket(personas.anna, subject="urgent", priority="urgent")
    _ticket(
        personas.anna, subject="billing, not my team", category="payment_billing", priority="urgent"
    )
    client = session_client(personas.alice)
    client.get("/desk/")
    response = client.post(
        "/desk/next/", {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )
    assert response.status_code == 302 and response.url == f"/desk/t/{best.number}/"
    best.refresh_from_db()
    assert best.assignee == personas.alice.agent
    event = best.events.get(kind="assignee")
    assert event.new == "A0001" and event.data == {"via": "next"}


@pytest.mark.django_db
def test_the_ticket_page_explains_score_routing_and_missing_evidence(staffed):
    from kefu.testing import api_client

    response = api_client(staffed.anna).post(
        "/api/v1/tickets",
        {"subject": "Deposit frozen", "body": "Our deposit is frozen. URGENT-FUND"},
        content_type="application/json",
    )
    number = response.json()["number"]
    page = session_client(staffed.bob).get(f"/desk/t/{number}/").content.decode()
    for text in (
        "Triage",
        "Rules fired",
        "Funds frozen or payout held",
        "Assigned to A0002",
        "Evidence missing",
        "the name of the bank",
        "Priority: urgent",
    ):
        assert text in page, text
