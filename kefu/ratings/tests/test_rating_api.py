"""``POST /api/v1/tickets/{number}/rating``: 201 for the resolution's first rating, 200 for a
change within 7 days, 409 (in the caller's language) while the ticket is not resolved and once
the rating is final, 404 for another organisation's ticket, 403 for staff, 422 naming the field;
ratings show in the ticket's detail. One rating per resolution: a re-resolved ticket is rated
again."""

import pytest

from kefu.ratings.models import Rating
from kefu.testing import api_client, make_ticket
from kefu.tickets import actions

from .conftest import resolve


@pytest.mark.django_db
def test_a_resolved_ticket_is_rated_once_per_resolution_and_shown_in_its_detail(personas):
    ticket = resolve(personas)
    client = api_client(personas.anna)
    url = f"/api/v1/tickets/{ticket.number}/rating"
    first = client.post(
        url, {"score": "neutral", "comment": "Slow"}, content_type="application/json"
    )
    assert first.status_code == 201, first.content
    assert first.json()["score"] == "neutral" and first.json()["of"] == "resolution"
    changed = client.post(url, {"score": "satisfied"}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["changed_at"]
    assert Rating.objects.filter(ticket=ticket).count() == 1

    detail = client.get(f"/api/v1/tickets/{ticket.number}").json()
    assert [r["score"] for r in detail["ratings"]] == ["satisfied"]

    actions.change_status(ticket=ticket, actor=personas.viewer(personas.anna), status="open")
    resolve(personas, ticket)
    again = client.post(url, {"score": "unsatisfied", "comment": "Broke again"},
                        content_type="application/json")  # fmt: skip
    assert again.status_code == 201
    detail = client.get(f"/api/v1/tickets/{ticket.number}").json()
    assert [r["score"] for r in detail["ratings"]] == ["unsatisfied", "satisfied"]


@pytest.mark.django_db
def test_an_open_ticket_cannot_be_rated_and_says_why_in_chinese(personas):
    ticket = make_ticket(personas.anna)
    client = api_client(personas.anna, **{"Accept-Language": "zh-CN"})
    answer = client.post(f"/api/v1/tickets/{ticket.number}/rating", {"score": "unsatisfied"},
                         content_type="application/json")  # fmt: skip
    assert answer.status_code == 409
    body = answer.json()
    assert body["code"] == "not_resolved"
    assert f"工单 {ticket.number} 尚未解决" in body["detail"][0]["msg"]
    english = api_client(personas.anna).post(
        f"/api/v1/tickets/{ticket.number}/rating",
        {"score": "neutral"},
        content_type="application/json",
    )
    assert "is not resolved yet" in english.json()["detail"][0]["msg"]
    assert not Rating.objects.exists()


@pytest.mark.django_db
def test_another_organisations_ticket_is_not_found_and_staff_do_not_rate(personas):
    ticket = resolve(personas)
    url = f"/api/v1/tickets/{ticket.number}/rating"
    body = {"score": "satisfied"}
    otto = api_client(personas.otto).post(url, body, content_type="application/json")
    assert otto.status_code == 404
    alice = api_client(personas.alice).post(url, body, content_type="application/json")
    assert alice.status_code == 403
    assert not Rating.objects.exists()


@pytest.mark.django_db
def test_bad_scores_and_long_comments_are_refused_naming_the_field(personas):
    ticket = resolve(personas)
    client = api_client(personas.anna)
    url = f"/api/v1/tickets/{ticket.number}/rating"
    bad = client.post(url, {"score": "great"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "score"
    long = client.post(url, {"score": "neutral", "comment": "x" * 2001},
                       content_type="application/json")  # fmt: skip
    assert long.status_code == 422 and long.json()["detail"][0]["loc"][-1] == "comment"


@pytest.mark.django_db
def test_a_rating_is_final_after_seven_days(personas, frozen):
    ticket = resolve(personas)
    client = api_client(personas.anna)
    url = f"/api/v1/tickets/{ticket.number}/rating"
    assert (
        client.post(url, {"score": "neutral"}, content_type="application/json").status_code == 201
    )
    frozen.advance(days=6, hours=23)
    assert (
        client.post(url, {"score": "satisfied"}, content_type="application/json").status_code == 200
    )
    frozen.advance(hours=2)
    late = client.post(url, {"score": "unsatisfied"}, content_type="application/json")
    assert late.status_code == 409 and late.json()["code"] == "rating_final"
    assert Rating.objects.get().score == "satisfied"


@pytest.mark.django_db
def test_a_closed_ticket_may_still_be_rated(personas):
    ticket = resolve(personas)
    actions.change_status(ticket=ticket, actor=personas.viewer(personas.anna), status="closed")
    answer = api_client(personas.anna).post(
        f"/api/v1/tickets/{ticket.number}/rating", {"score": "satisfied"},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 201
    rating = Rating.objects.select_related("resolution").get()
    assert rating.resolution.state == "confirmed" and rating.via == "api"
