"""Knowledge-base deflection: people read help-centre articles or get a bot answer, and some of
them then open a ticket or ask for a person. The summary's deflection equals a plain count over
the test's own log of who read what when and which tickets and handoffs followed: a visit is
deflected unless its person reached a human within 24 h of the last article read, and visits
whose 24 h have not passed yet are left out."""

from datetime import datetime, timedelta

import pytest
from django.test import Client

from kefu.intake.chat import service as chat
from kefu.testing import PASSWORD, api_client, make_ticket
from kefu.tickets.models import Ticket, TicketEvent

from .conftest import SHANGHAI

FROM, TO = "2026-10-12", "2026-10-14"
WINDOW = timedelta(hours=24)
ARTICLE = "/help/payment-card-declined/?lang=zh"
OTHER_ARTICLE = "/help/payment-bank-transfer-not-received/?lang=en"
BOT_QUESTION = "信用卡付款一直失败，卡里明明有钱"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=SHANGHAI)


def read(client: Client, path: str) -> None:
    assert client.get(path).status_code == 200


def build_history(p, frozen) -> list[dict]:  # type: ignore[no-untyped-def]
    """What happens, and the test's own log of it: one entry per visit (person, source,
    language, last article read); contacts are read back from tickets and events."""
    log: list[dict] = []

    # A: an anonymous reader, two articles, never writes in: deflected.
    a = Client()
    frozen.set(at(12, 10))
    read(a, ARTICLE)
    frozen.set(at(12, 10, 5))
    read(a, OTHER_ARTICLE)
    log.append({"who": None, "source": "help", "language": "zh", "last": at(12, 10, 5)})

    # B: reads anonymously, signs in as Anna, opens a ticket four hours later: not deflected.
    b = Client()
    frozen.set(at(12, 11))
    read(b, ARTICLE)
    response = b.post("/login/", {"username": p.anna.email, "password": PASSWORD})
    assert response.status_code == 302
    frozen.set(at(12, 15))
    make_ticket(p.anna, subject="Card still declined")
    log.append({"who": p.anna.pk, "source": "help", "language": "zh", "last": at(12, 11)})

    # Otto, signed in, reads; his ticket comes 25 hours later: deflected all the same.
    otto = Client()
    otto.force_login(p.otto)
    frozen.set(at(13, 9))
    read(otto, OTHER_ARTICLE)
    frozen.set(at(14, 10))
    make_ticket(p.otto, subject="Another matter")
    log.append({"who": p.otto.pk, "source": "help", "language": "en", "last": at(13, 9)})

    # A chat the bot answers, and nobody asks for a person: deflected.
    frozen.set(at(13, 10))
    kept = chat.open_session(user=None, email="guest@buyer.test", language="zh")
    chat.visitor_says(kept, "c1", BOT_QUESTION)
    log.append({"who": f"chat:{kept.pk}", "source": "bot", "language": "zh", "last": at(13, 10)})

    # A chat the bot answers, then the visitor asks for a person: not deflected.
    frozen.set(at(13, 11))
    handed = chat.open_session(user=None, email="other@buyer.test", language="zh")
    chat.visitor_says(handed, "c1", BOT_QUESTION)
    frozen.set(at(13, 11, 3))
    chat.ask_for_person(handed)
    log.append({"who": f"chat:{handed.pk}", "source": "bot", "language": "zh",
                "last": at(13, 11)})  # fmt: skip

    # Read late on the period's last day: its 24 h are not over at the time of the report.
    late = Client()
    frozen.set(at(14, 22))
    read(late, ARTICLE)
    log.append({"who": None, "source": "help", "language": "zh", "last": at(14, 22)})

    frozen.set(at(15, 12))  # the report is read now
    return log


def contacts() -> dict[object, list[datetime]]:
    """When each person reached a human, from the raw tickets and events: a ticket opened
    through any channel but chat (by its requester), or a chat's handoff (by the chat)."""
    found: dict[object, list[datetime]] = {}
    for ticket in Ticket.objects.exclude(channel="chat"):
        found.setdefault(ticket.requester_id, []).append(ticket.created_at)
    for event in TicketEvent.objects.filter(kind="chat_handoff"):
        found.setdefault(f"chat:{event.data['chat']}", []).append(event.created_at)
    return found


def recompute(log: list[dict], now: datetime, source: str = "", language: str = "") -> tuple:  # type: ignore[type-arg]
    reached = contacts()
    counted = [v for v in log if v["last"] <= now - WINDOW
               and (not source or v["source"] == source)
               and (not language or v["language"] == language)]  # fmt: skip
    deflected = [
        v for v in counted
        if not any(v["last"] <= when <= v["last"] + WINDOW for when in reached.get(v["who"], []))
    ]  # fmt: skip
    return len(counted), len(deflected)


@pytest.mark.django_db
def test_deflection_equals_a_count_of_visits_not_followed_by_a_contact(personas, frozen):
    log = build_history(personas, frozen)
    now = frozen.now
    lead = api_client(personas.ada)
    got = lead.get(f"/api/v1/reports/summary?from={FROM}&to={TO}").json()

    visits, deflected = recompute(log, now)
    assert (visits, deflected) == (5, 3)
    assert got["kb_deflection"]["visits"] == visits
    assert got["kb_deflection"]["deflected"] == deflected
    assert got["kb_deflection_rate"] == round(deflected / visits, 4)
    for source in ("help", "bot"):
        visits, deflected = recompute(log, now, source=source)
        assert got["kb_deflection"][f"{source}_rate"] == round(deflected / visits, 4)

    english = lead.get(f"/api/v1/reports/summary?from={FROM}&to={TO}&language=en").json()
    visits, deflected = recompute(log, now, language="en")
    assert english["kb_deflection"]["visits"] == visits == 1
    assert english["kb_deflection_rate"] == round(deflected / visits, 4)

    # Visits belong to no team: under a team filter the figure is not given, not made up.
    team = lead.get(f"/api/v1/reports/summary?from={FROM}&to={TO}&team=orders").json()
    assert team["kb_deflection_rate"] is None and team["kb_deflection"] is None
    assert got["previous"]["kb_deflection"]["visits"] == 0
