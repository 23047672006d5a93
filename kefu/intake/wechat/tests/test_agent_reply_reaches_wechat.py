"""An agent's reply on a WeChat ticket goes out as a customer-service message: an outbox row
written with the reply, sent by the delivery worker after commit to WeChat's API — here a fake
WeChat server on 127.0.0.1 — with an access_token fetched once and cached, fetched again when
WeChat says it expired (42001), and retried with backoff when WeChat refuses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kefu.delivery import outbox
from kefu.delivery.models import Delivery
from kefu.intake.wechat.models import WechatAccount
from kefu.intake.wechat.tests.fakes import (
    OPENID,
    FakeWechat,
    make_account,
    message_xml,
    post_encrypted,
)
from kefu.testing import api_client
from kefu.tickets.models import Ticket


@pytest.fixture
def fake_wechat(settings):
    fake = FakeWechat().start()
    settings.KEFU_WECHAT_API_BASE = fake.url
    yield fake
    fake.stop()


def _ticket() -> Ticket:
    make_account()
    post_encrypted(Client(), message_xml("货物破损，要求退款"))
    return Ticket.objects.get()


def _reply(personas, ticket: Ticket, body: str) -> Delivery:
    response = api_client(personas.ada).post(
        f"/api/v1/tickets/{ticket.number}/messages", {"body": body}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return Delivery.objects.filter(channel=Delivery.Channel.WECHAT).latest("pk")


@pytest.mark.django_db
def test_the_fake_wechat_server_receives_the_agents_reply(personas, fake_wechat):
    ticket = _ticket()
    row = _reply(personas, ticket, "您好，已为您登记退款，请上传破损照片。")
    assert (row.state, row.ticket, row.to) == (Delivery.State.PENDING, ticket, [OPENID])
    assert not fake_wechat.messages  # nothing leaves before the worker runs
    assert outbox.send_due(timezone.now()) == 1
    assert fake_wechat.messages == [
        {
            "touser": OPENID,
            "msgtype": "text",
            "text": {"content": "您好，已为您登记退款，请上传破损照片。"},
        }
    ]
    assert fake_wechat.token_requests[0]["grant_type"] == ["client_credential"]
    row.refresh_from_db()
    assert row.state == Delivery.State.SENT and row.attempts == 1
    mailed = Delivery.objects.filter(channel=Delivery.Channel.EMAIL).values_list("to", flat=True)
    assert not [to for to in mailed if any(a.endswith(".invalid") for a in to)]


@pytest.mark.django_db
def test_the_access_token_is_cached_and_fetched_again_when_wechat_says_it_expired(
    personas, fake_wechat
):
    ticket = _ticket()
    _reply(personas, ticket, "第一条回复")
    outbox.send_due(timezone.now())
    _reply(personas, ticket, "第二条回复")
    outbox.send_due(timezone.now())
    assert fake_wechat.tokens_issued == ["TOKEN-1"]  # cached: fetched once for both
    account = WechatAccount.objects.get()
    assert account.access_token == "TOKEN-1"
    assert account.access_token_expires_at > timezone.now() + timedelta(minutes=110)
    fake_wechat.expire()  # WeChat ends the token early (another client fetched one, say)
    _reply(personas, ticket, "第三条回复")
    assert outbox.send_due(timezone.now()) == 1
    assert fake_wechat.tokens_issued == ["TOKEN-1", "TOKEN-2"]
    assert fake_wechat.used_tokens[-2:] == ["TOKEN-1", "TOKEN-2"]
    assert [m["text"]["content"] for m in fake_wechat.messages] == [
        "第一条回复",
        "第二条回复",
        "第三条回复",
    ]


@pytest.mark.django_db
def test_a_token_wechat_calls_invalid_is_replaced(personas, fake_wechat):
    ticket = _ticket()
    later = timezone.now() + timedelta(hours=1)
    WechatAccount.objects.update(access_token="REVOKED", access_token_expires_at=later)
    _reply(personas, ticket, "回复")
    assert outbox.send_due(timezone.now()) == 1  # 40001, a fresh token, sent
    assert fake_wechat.used_tokens == ["REVOKED", "TOKEN-1"]
    assert WechatAccount.objects.get().access_token == "TOKEN-1"


@pytest.mark.django_db
def test_a_token_past_its_expires_in_is_not_used(personas, fake_wechat):
    ticket = _ticket()
    WechatAccount.objects.update(
        access_token="OLD", access_token_expires_at=timezone.now() + timedelta(minutes=1)
    )
    _reply(personas, ticket, "回复")
    outbox.send_due(timezone.now())
    assert fake_wechat.used_tokens == ["TOKEN-1"]


@pytest.mark.django_db
def test_a_refusal_is_retried_with_backoff_and_then_sent(personas, fake_wechat):
    ticket = _ticket()
    row = _reply(personas, ticket, "稍后重试的回复")
    fake_wechat.refuse = 45015
    now = timezone.now()
    assert outbox.send_due(now) == 0
    row.refresh_from_db()
    assert row.state == Delivery.State.FAILED and "45015" in row.last_error
    assert row.next_attempt_at == now + outbox.BACKOFF[Delivery.Channel.WECHAT][0]
    fake_wechat.refuse = 0
    assert outbox.send_due(row.next_attempt_at) == 1
    row.refresh_from_db()
    assert row.state == Delivery.State.SENT and row.attempts == 2
    assert fake_wechat.messages[-1]["text"]["content"] == "稍后重试的回复"


@pytest.mark.django_db
def test_an_internal_note_is_not_sent(personas, fake_wechat):
    ticket = _ticket()
    response = api_client(personas.ada).post(
        f"/api/v1/tickets/{ticket.number}/messages",
        {"body": "内部备注", "internal": True},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert not Delivery.objects.filter(channel=Delivery.Channel.WECHAT).exists()
