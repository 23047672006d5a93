"""An anonymous call to the API is told to authenticate (401, ``WWW-Authenticate: Bearer``),
whatever its method; it used to get 403 "CSRF check failed" on unsafe methods. A signed-in
browser session still needs its CSRF token for those; a bearer token never does."""

import pytest
from django.test import Client

from kefu.testing import api_client, make_ticket, session_client
from kefu.tickets.models import Ticket

JSON = "application/json"
NEW = {"subject": "Where is PO-1?", "body": "No tracking for a week."}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/api/v1/tickets"), ("patch", "/api/v1/tickets/KF1"), ("get", "/api/v1/tickets"),
     ("post", "/api/v1/notifications/read"), ("post", "/api/v1/deliveries/1/retry"),
     ("post", "/api/v1/inbound/email?mailbox=service")],
)  # fmt: skip
def test_anonymous_calls_get_401_with_a_bearer_challenge(client, method, path):
    response = getattr(client, method)(path, {}, content_type=JSON)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="kefu"'
    assert response.json() == {"detail": "Authentication required.", "code": "unauthenticated"}


@pytest.mark.django_db
def test_the_challenge_speaks_chinese():
    response = Client(headers={"Accept-Language": "zh-CN"}).post(
        "/api/v1/tickets", NEW, content_type=JSON
    )
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert response.json()["detail"] == "需要登录认证。"


@pytest.mark.django_db
def test_a_session_without_its_csrf_token_is_refused_with_403(personas):
    client = session_client(personas.anna)
    response = client.post("/api/v1/tickets", NEW, content_type=JSON)
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_a_session_with_its_csrf_token_may_write(personas):
    client = session_client(personas.anna)
    client.get("/portal/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/tickets", NEW, content_type=JSON, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_bearer_tokens_need_no_csrf_token(personas):
    ticket = make_ticket(personas.anna)
    client = api_client(personas.lena)
    client.cookies.clear()
    response = client.patch(
        f"/api/v1/tickets/{ticket.number}", {"priority": "high"}, content_type=JSON
    )
    assert response.status_code == 200
