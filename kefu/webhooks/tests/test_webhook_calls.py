"""Webhooks (issue #12, must show 3): a receiver on 127.0.0.1 gets signed events whose signature
verifies; a receiver answering 500 is retried with growing delays, then given up and shown to
admins; loopback and private addresses are refused unless the operator allows them."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from kefu.delivery import outbox
from kefu.delivery.models import Delivery
from kefu.notifications.models import Notification
from kefu.testing import api_client, make_ticket, session_client
from kefu.tickets import actions

SECRET = "receiver-shared-secret-0123456789"


class Receiver:
    """An HTTP server on 127.0.0.1 that keeps every call, answering ``status``."""

    def __init__(self, status: int = 204) -> None:
        self.status = status
        self.calls: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/kefu"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.close()


@pytest.fixture
def allow_private(settings):
    settings.KEFU_WEBHOOKS_ALLOW_PRIVATE = True


def verified(headers: dict[str, str], body: bytes) -> bool:
    """What a receiver does (README): recompute the HMAC of the raw body, compare in constant
    time."""
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-Kefu-Signature"])


def subscribe(client, url: str, events: list[str]):
    return client.post(
        "/api/v1/webhooks",
        {"url": url, "events": events, "secret": SECRET},
        content_type="application/json",
    )


@pytest.mark.django_db
def test_a_receiver_gets_signed_ticket_and_message_events(personas, receiver, allow_private):
    admin = api_client(personas.ada)
    created = subscribe(admin, receiver.url, ["ticket.created", "message.created"])
    assert created.status_code == 201 and created.json()["secret"] == SECRET
    ticket = make_ticket(personas.anna, subject="Where is PO-9?")
    actions.add_message(ticket=ticket, actor=personas.viewer(personas.alice), body="On its way.")
    outbox.send_due(timezone.now())
    assert len(receiver.calls) == 3  # created, the opening message, the reply
    kinds = [headers["X-Kefu-Event"] for headers, _ in receiver.calls]
    assert sorted(kinds) == ["message.created", "message.created", "ticket.created"]
    for headers, body in receiver.calls:
        assert verified(headers, body)
        payload = json.loads(body)
        assert (
            payload["id"] == headers["X-Kefu-Delivery"]
            and payload["event"] == headers["X-Kefu-Event"]
        )
        assert payload["ticket"]["number"] == ticket.number
    reply = [
        json.loads(b)
        for h, b in receiver.calls
        if json.loads(b).get("message", {}).get("role") == "agent"
    ]
    assert reply[0]["message"]["body"] == "On its way." and reply[0]["message"]["author"] == "A0001"
    ids = {headers["X-Kefu-Delivery"] for headers, _ in receiver.calls}
    assert len(ids) == 3  # each call its own id, kept across retries


@pytest.mark.django_db
def test_a_failing_receiver_is_retried_with_growing_delays_then_given_up(personas, allow_private):
    failing = Receiver(status=500)
    try:
        subscribe(api_client(personas.ada), failing.url, ["ticket.created"])
        ticket = make_ticket(personas.anna)
        call = Delivery.objects.get(channel=Delivery.Channel.WEBHOOK)
        now, delays = timezone.now(), []
        for _ in range(outbox.tries(Delivery.Channel.WEBHOOK)):
            outbox.send_due(now)
            call.refresh_from_db()
            if call.next_attempt_at:
                delays.append(call.next_attempt_at - now)
                now = call.next_attempt_at
    finally:
        failing.close()
    assert len(failing.calls) == outbox.tries(Delivery.Channel.WEBHOOK) == 8
    assert delays == sorted(delays) and delays[0] == timedelta(minutes=1)
    assert sum(delays, timedelta()) >= timedelta(hours=23)  # about a day of tries
    assert (call.state, call.attempts) == (Delivery.State.DEAD, 8)
    assert call.last_error.startswith("DeliveryFailed: HTTP 500")
    assert {h["X-Kefu-Delivery"] for h, _ in failing.calls} == {call.key}  # the same delivery
    shown = session_client(personas.ada).get("/admin/delivery/delivery/").content.decode()
    assert "HTTP 500" in shown and failing.url in shown
    listed = api_client(personas.ada).get("/api/v1/deliveries?channel=webhook&state=dead").json()
    assert [(d["event"], d["attempts"]) for d in listed] == [("ticket.created", 8)]
    assert ticket.deliveries.filter(state=Delivery.State.DEAD).exists()


@pytest.mark.django_db
def test_a_subscription_failing_for_a_day_is_disabled_and_its_owner_told(personas, allow_private):
    failing = Receiver(status=503)
    try:
        subscribed = subscribe(api_client(personas.ada), failing.url, ["ticket.created"]).json()
        make_ticket(personas.anna)
        make_ticket(personas.anna)
        now = timezone.now()
        outbox.send_due(now)  # both fail: the subscription starts failing
        outbox.send_due(now + timedelta(days=1, minutes=5))  # still failing a day later
    finally:
        failing.close()
    listed = api_client(personas.ada).get("/api/v1/webhooks").json()
    assert [(s["id"], s["is_active"]) for s in listed] == [(subscribed["id"], False)]
    assert "HTTP 503" in listed[0]["disabled_reason"]
    assert not Delivery.objects.filter(channel="webhook", state__in=["pending", "failed"]).exists()
    told = Notification.objects.get(recipient=personas.ada, kind="webhook_off")
    assert told.params["url"] == failing.url
    assert Delivery.objects.filter(channel="email", to=[personas.ada.email]).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:9/hook", "https://localhost/hook", "https://10.1.2.3/hook",
     "https://192.168.0.7/hook", "https://169.254.169.254/latest/meta-data",
     "https://[::1]/hook", "https://[::ffff:127.0.0.1]/hook"],
)  # fmt: skip
def test_loopback_and_private_addresses_are_refused(personas, url):
    answer = subscribe(
        api_client(personas.ada, **{"Accept-Language": "en"}), url, ["ticket.created"]
    )
    assert answer.status_code == 422
    problem = answer.json()["detail"][0]
    assert problem["loc"][-1] == "url"
    assert "webhooks" in problem["msg"] or "https://" in problem["msg"]


@pytest.mark.django_db
def test_the_refusal_is_in_the_callers_language(personas):
    answer = subscribe(api_client(personas.ada, **{"Accept-Language": "zh-CN"}),
                       "https://127.0.0.1/hook", ["ticket.created"])  # fmt: skip
    assert answer.status_code == 422
    assert "私有" in answer.json()["detail"][0]["msg"]


@pytest.mark.django_db
def test_private_addresses_are_allowed_only_when_the_operator_says_so(personas, settings):
    admin = api_client(personas.ada)
    assert subscribe(admin, "http://127.0.0.1:9/hook", ["ticket.created"]).status_code == 422
    settings.KEFU_WEBHOOKS_ALLOW_PRIVATE = True
    assert subscribe(admin, "http://127.0.0.1:9/hook", ["ticket.created"]).status_code == 201


@pytest.mark.django_db
def test_a_name_that_resolves_to_a_private_address_later_is_refused_at_the_call(
    personas, settings, monkeypatch
):
    """DNS rebinding: checked again at every call, on what the name resolves to then."""
    import socket

    public = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 443))]
    private = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 443))]
    answers = iter([public, private])
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: next(answers))
    assert subscribe(api_client(personas.ada), "https://hooks.example.com/k",
                     ["ticket.created"]).status_code == 201  # fmt: skip
    make_ticket(personas.anna)
    assert outbox.send_due(timezone.now()) == 0
    call = Delivery.objects.get(channel=Delivery.Channel.WEBHOOK)
    assert call.state == Delivery.State.FAILED and "127.0.0.1" in call.last_error


@pytest.mark.django_db
def test_customers_main_accounts_get_their_organisations_tickets_without_internal_notes(
    personas, receiver, allow_private
):
    anna = api_client(personas.anna)
    assert subscribe(anna, receiver.url, ["ticket.created", "message.created"]).status_code == 201
    assert subscribe(api_client(personas.sam), receiver.url, ["ticket.created"]).status_code == 403
    theirs, other = make_ticket(personas.anna), make_ticket(personas.otto)
    actions.add_message(ticket=theirs, actor=personas.viewer(personas.alice), body="note",
                        internal=True)  # fmt: skip
    outbox.send_due(timezone.now())
    bodies = [json.loads(body) for _, body in receiver.calls]
    assert {b["ticket"]["number"] for b in bodies} == {theirs.number}
    assert other.number not in str(bodies)
    assert all(not b.get("message", {}).get("internal") for b in bodies)
    assert all("team" not in b["ticket"] and "assignee" not in b["ticket"] for b in bodies)


@pytest.mark.django_db
def test_only_admins_and_main_accounts_manage_webhooks_and_only_their_own(personas, allow_private):
    made = subscribe(api_client(personas.anna), "http://127.0.0.1:9/x", ["ticket.created"]).json()
    assert api_client(personas.alice).get("/api/v1/webhooks").status_code == 403
    assert api_client(personas.otto).delete(f"/api/v1/webhooks/{made['id']}").status_code == 404
    assert api_client(personas.otto).get("/api/v1/webhooks").json() == []
    assert api_client(personas.anna).delete(f"/api/v1/webhooks/{made['id']}").status_code == 204
    bad = subscribe(api_client(personas.ada), "http://127.0.0.1:9/x", ["ticket.exploded"])
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "events"
