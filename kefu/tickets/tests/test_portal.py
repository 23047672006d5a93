import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kefu.testing import PASSWORD, make_ticket, sample_file, session_client
from kefu.tickets import actions
from kefu.tickets.models import Status, Ticket


def _csrf(client, url: str) -> str:
    client.get(url)
    return client.cookies["csrftoken"].value


@pytest.mark.django_db
def test_customer_signs_in_and_lands_on_the_portal_in_their_language(personas, client):
    page = client.post(
        "/login/", {"username": "otto@orbit.test", "password": PASSWORD}, follow=True
    )
    assert page.redirect_chain[-1][0] == "/portal/"
    assert "我的工单" in page.content.decode()


@pytest.mark.django_db
def test_structured_ticket_with_evidence_is_created(personas):
    client = session_client(personas.anna)
    token = _csrf(client, "/portal/new/")
    form = {
        "csrfmiddlewaretoken": token,
        "category": "",
        "order_id": "PO-12",
        "subject": "Broken screens",
        "body": "Three screens are cracked.",
        "desired_outcome": "Replacement",
        "expected_by": "2026-12-24",
        "attachments": [
            SimpleUploadedFile("box.jpg", sample_file("jpeg")),
            SimpleUploadedFile("waybill.pdf", sample_file("pdf")),
        ],
    }
    response = client.post("/portal/new/", form)
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/portal/t/{ticket.number}/"
    assert (ticket.order_id, ticket.desired_outcome, str(ticket.expected_by)) == (
        "PO-12", "Replacement", "2026-12-24",
    )  # fmt: skip
    assert sorted(ticket.attachments.values_list("filename", flat=True)) == [
        "box.jpg",
        "waybill.pdf",
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Three screens are cracked." in page


@pytest.mark.django_db
def test_a_refused_file_keeps_the_form_and_says_why(personas):
    client = session_client(personas.anna)
    token = _csrf(client, "/portal/new/")
    response = client.post("/portal/new/", {
        "csrfmiddlewaretoken": token, "subject": "s", "body": "b",
        "attachments": [SimpleUploadedFile("virus.png", sample_file("exe"))],
    })  # fmt: skip
    assert response.status_code == 200
    assert "is not a JPG, PNG or PDF file" in response.content.decode()
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_portal_list_shows_only_the_organisations_tickets(personas):
    mine = make_ticket(personas.anna, subject="Acme question")
    theirs = make_ticket(personas.otto, subject="Orbit question")
    page = session_client(personas.anna).get("/portal/?show=all").content.decode()
    assert mine.number in page and theirs.number not in page
    assert session_client(personas.anna).get(f"/portal/t/{theirs.number}/").status_code == 404


@pytest.mark.django_db
def test_customer_replies_and_confirms_the_resolution(personas):
    ticket = make_ticket(personas.anna)
    actions.change_status(
        ticket=ticket, actor=personas.viewer(personas.alice), status=Status.RESOLVED
    )
    client = session_client(personas.anna)
    token = _csrf(client, f"/portal/t/{ticket.number}/")
    client.post(
        f"/portal/t/{ticket.number}/decide/", {"csrfmiddlewaretoken": token, "decision": "confirm"}
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED


@pytest.mark.django_db
def test_customer_reply_on_a_resolved_ticket_reopens_it(personas):
    ticket = make_ticket(personas.anna)
    actions.change_status(
        ticket=ticket, actor=personas.viewer(personas.alice), status=Status.RESOLVED
    )
    client = session_client(personas.anna)
    token = _csrf(client, f"/portal/t/{ticket.number}/")
    client.post(f"/portal/t/{ticket.number}/", {"csrfmiddlewaretoken": token, "body": "Not fixed"})
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


@pytest.mark.django_db
def test_forms_need_the_csrf_token(personas):
    response = session_client(personas.anna).post("/portal/new/", {"subject": "s", "body": "b"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_agents_and_anonymous_visitors_do_not_get_the_portal(personas, client):
    assert client.get("/portal/").status_code == 302  # to the sign-in page
    assert session_client(personas.alice).get("/portal/").status_code == 404


@pytest.mark.django_db
def test_the_customer_reply_form_has_no_agent_controls(personas):
    ticket = make_ticket(personas.anna, subject="Where is my parcel")
    client = session_client(personas.anna)
    url = f"/portal/t/{ticket.number}/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'name="then_status"' not in page
    assert 'name="macro"' not in page
    assert "Macro" not in page

    token = client.cookies["csrftoken"].value
    refused = client.post(
        url, {"csrfmiddlewaretoken": token, "body": "  ", "then_status": "resolved"}
    )
    assert refused.status_code == 200
    ticket.refresh_from_db()
    assert ticket.status != Status.RESOLVED
    assert ticket.messages.count() == 1
