"""Status lookup by ticket number: the same answer for any number and email; a matching pair
mails the requester a signed link that shows the ticket's status and public messages (not its
internal notes); a wrong pair sends nothing."""

import re

import pytest
from django.test import Client

from kefu.accounts.access import viewer_for
from kefu.delivery.models import Delivery
from kefu.testing import make_ticket
from kefu.tickets import actions


def _ask(number: str, email: str, **headers: str):
    return Client(headers=headers).post("/status/", {"number": number, "email": email})


def _page_text(response) -> bytes:
    """The page less its CSRF token and the echoed input, which differ between requests."""
    page = re.sub(
        rb'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', rb"\1", response.content
    )
    return re.sub(rb'(name="(number|email)"[^>]*value=")[^"]*', rb"\1", page)


def _link(mail: Delivery) -> str:
    found = re.search(r"https?://\S+(/status/v/\S+/)", mail.text)
    assert found, mail.text
    return found.group(1)


@pytest.mark.parametrize("headers", [{}, {"Accept-Language": "zh-CN"}])
def test_a_matching_pair_mails_a_link_that_shows_the_ticket(personas, headers):
    ticket = make_ticket(personas.anna, subject="Container still at port")
    actions.add_message(ticket=ticket, actor=viewer_for(personas.alice),
                        body="We asked the carrier today.")  # fmt: skip
    actions.add_message(ticket=ticket, actor=viewer_for(personas.alice),
                        body="internal: carrier is slow", internal=True)  # fmt: skip
    Delivery.objects.all().delete()  # the reply's own mail

    answer = _ask(ticket.number.lower(), personas.anna.email.upper(), **headers)

    assert answer.status_code == 200
    [mail] = Delivery.objects.all()
    assert mail.to == [personas.anna.email] and ticket.number in mail.subject
    page = Client().get(_link(mail))
    assert page.status_code == 200
    text = page.content.decode()
    assert ticket.number in text and "Container still at port" in text
    assert "We asked the carrier today." in text
    assert "carrier is slow" not in text


@pytest.mark.parametrize("headers", [{}, {"Accept-Language": "zh-CN"}])
def test_a_wrong_pair_gets_the_same_page_and_sends_nothing(personas, headers):
    ticket = make_ticket(personas.anna)
    other = make_ticket(personas.bob)
    Delivery.objects.all().delete()

    right = _ask(ticket.number, personas.anna.email, **headers)
    Delivery.objects.all().delete()
    wrong_email = _ask(ticket.number, personas.bob.email, **headers)
    someone_elses = _ask(other.number, personas.anna.email, **headers)
    no_ticket = _ask("KF-NOPE-1", personas.anna.email, **headers)

    assert right.status_code == wrong_email.status_code == no_ticket.status_code == 200
    assert _page_text(right) == _page_text(wrong_email) == _page_text(someone_elses)
    assert _page_text(right) == _page_text(no_ticket)
    assert not Delivery.objects.exists()


def test_the_api_answers_the_same_sentence_either_way(personas):
    ticket = make_ticket(personas.anna)
    client = Client(headers={"Accept-Language": "zh-CN"})
    match = client.post("/api/v1/status-lookup", {"number": ticket.number,
                        "email": personas.anna.email}, content_type="application/json")  # fmt: skip
    mismatch = client.post("/api/v1/status-lookup", {"number": ticket.number,
                           "email": "x@example.com"}, content_type="application/json")  # fmt: skip
    assert match.status_code == mismatch.status_code == 202
    assert match.json() == mismatch.json()
    assert "链接" in match.json()["detail"]
    assert Delivery.objects.count() == 1


def test_a_forged_or_tampered_link_shows_nothing(personas):
    ticket = make_ticket(personas.anna, subject="Secret subject")
    _ask(ticket.number, personas.anna.email)
    link = _link(Delivery.objects.get())
    page = Client().get(link[:-3] + "xx/")
    assert page.status_code == 404 and b"Secret subject" not in page.content


def test_lookups_past_the_limit_are_refused_with_a_clear_message(personas):
    ticket = make_ticket(personas.anna)
    answers = [_ask(ticket.number, f"guess{n}@example.com").status_code for n in range(25)]
    assert answers[:20] == [200] * 20 and answers[-1] == 429
    refused = Client().post("/api/v1/status-lookup", {"number": ticket.number, "email":
                            "a@example.com"}, content_type="application/json")  # fmt: skip
    assert refused.status_code == 429 and "Too many requests" in refused.json()["detail"]
