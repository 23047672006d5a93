"""The resolution mail's rating link: opened without a session it shows the three choices
(preselected from the mail's button) and records the rating on its button, once; it still works
after the ticket was confirmed, not for a later resolution, and not after 14 days."""

import re
import time

import pytest
from django.test import Client

from kefu.delivery.models import Delivery
from kefu.escalation.models import QaReview
from kefu.ratings.models import Rating
from kefu.tickets import actions

from .conftest import resolve

RATE_LINK = re.compile(r"https?://[^\s/]+(/t/[^/\s]+/)\?score=unsatisfied")


def rating_link(ticket) -> str:  # type: ignore[no-untyped-def]
    mail = Delivery.objects.filter(ticket=ticket, text__contains="score=unsatisfied").latest("pk")
    return RATE_LINK.search(mail.text).group(1)


def press(path: str, **form: str) -> tuple[int, str]:
    client = Client(enforce_csrf_checks=True)
    page = client.get(path, {"score": form.get("score", "")})
    assert page.status_code == 200, page.content
    token = client.cookies["csrftoken"].value
    done = client.post(path, {"csrfmiddlewaretoken": token, **form})
    return done.status_code, done.content.decode()


@pytest.mark.django_db
def test_the_link_records_the_rating_once_without_signing_in(personas):
    ticket = resolve(personas)
    path = rating_link(ticket)
    page = Client().get(path, {"score": "unsatisfied"}).content.decode()
    assert 'value="unsatisfied" required checked' in page and not Rating.objects.exists()
    status, done = press(path, score="unsatisfied", comment="Took a week")
    assert status == 200 and "a supervisor will review" in done
    rating = Rating.objects.get()
    assert (rating.score, rating.comment, rating.via, rating.rated_by) == (
        "unsatisfied", "Took a week", "link", personas.anna)  # fmt: skip
    assert QaReview.objects.filter(ticket=ticket, source="rating").count() == 1
    again = Client().get(path)
    assert again.status_code == 409 and "already rated" in again.content.decode()


@pytest.mark.django_db
def test_the_link_outlives_the_confirmation_but_not_a_new_resolution(personas):
    ticket = resolve(personas)
    path = rating_link(ticket)
    actions.change_status(ticket=ticket, actor=personas.viewer(personas.anna), status="open")
    assert Client().get(path).status_code == 404  # reopened: nothing to rate now
    resolve(personas, ticket)
    assert Client().get(path).status_code == 404  # still the earlier resolution's link
    fresh = rating_link(ticket)
    actions.change_status(ticket=ticket, actor=personas.viewer(personas.anna), status="closed")
    status, _page = press(fresh, score="satisfied")
    assert status == 200 and Rating.objects.get().score == "satisfied"


@pytest.mark.django_db
def test_the_link_expires_after_fourteen_days(personas, monkeypatch):
    ticket = resolve(personas)
    path = rating_link(ticket)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 14 * 86400 + 60)
    page = Client().get(path)
    assert page.status_code == 404 and "expired" in page.content.decode()


@pytest.mark.django_db
def test_a_missing_choice_is_asked_for_again(personas):
    ticket = resolve(personas)
    status, page = press(rating_link(ticket), comment="no score")
    assert status == 422 and "Choose satisfied, neutral or unsatisfied." in page
    assert "no score</textarea>" in page and not Rating.objects.exists()


@pytest.mark.django_db
def test_links_of_the_resolution_mail_and_of_the_reminder_both_work(personas, frozen):
    from kefu.ratings import sweep
    from kefu.ratings.models import Resolution

    ticket = resolve(personas)  # resolved at a Shanghai-zoned instant, read back in UTC
    first = rating_link(ticket)
    frozen.set(Resolution.objects.get().remind_at)
    sweep.sweep(frozen.now)
    reminder = rating_link(ticket)
    assert Delivery.objects.filter(ticket=ticket, text__contains="score=unsatisfied").count() == 2
    assert Client().get(first).status_code == 200 and Client().get(reminder).status_code == 200


@pytest.mark.django_db
def test_confirming_by_link_offers_the_rating_next(personas):
    ticket = resolve(personas)
    mail = Delivery.objects.filter(ticket=ticket, text__contains="score=unsatisfied").latest("pk")
    confirm = re.search(r"https?://[^\s/]+(/t/[^/\s]+/)", mail.text).group(1)
    status, done = press(confirm)
    assert status == 200 and "is closed" in done
    offered = re.search(r'href="https?://[^/"]+(/t/[^/"]+/)"', done).group(1)
    status, rated = press(offered, score="satisfied", comment="Thanks")
    assert status == 200 and "Thank you for your rating." in rated
    assert Rating.objects.get().score == "satisfied"
