"""A WeChat user not bound to an account is treated like a chat visitor who is not signed in: a
contact with a ticket of its own (no organisation, unverified, flagged to the agent), who sees no
earlier ticket and no account data — quoting a customer's ticket number opens a new ticket and
reveals nothing of it, and a follower unlinked from an account neither continues the account's
ticket nor receives the agents' later replies on it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from kefu.delivery import outbox
from kefu.delivery.models import Delivery
from kefu.intake.wechat import binding, inbound
from kefu.intake.wechat.models import WechatFollower
from kefu.intake.wechat.tests.fakes import (
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


def _customer_ticket(personas) -> Ticket:
    response = api_client(personas.anna).post(
        "/api/v1/tickets",
        {"subject": "Acme 的退款 PO-88 机密", "body": "退款金额 12,300 元，账户 Acme Trading"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return Ticket.objects.get(number=response.json()["number"])


@pytest.mark.django_db
def test_quoting_a_customers_ticket_number_opens_a_ticket_of_its_own(personas):
    make_account()
    theirs = _customer_ticket(personas)
    reply = post_encrypted(Client(), message_xml(f"{theirs.number} 的退款到哪了？")).reply()
    own = Ticket.objects.exclude(pk=theirs.pk).get()
    assert (own.organization, own.is_verified) == (None, False)
    assert own.requester.email.endswith("@wechat.invalid")
    assert own.number in reply
    assert "PO-88" not in reply and "12,300" not in reply and "Acme" not in reply
    assert theirs.messages.count() == 1  # nothing joined the customer's ticket


@pytest.mark.django_db
def test_an_unlinked_follower_gets_no_more_replies_on_the_accounts_ticket(personas, fake_wechat):
    make_account()
    wechat = Client()
    code, _row = binding.issue_code(user=personas.anna)
    post_encrypted(wechat, message_xml(f"绑定 {code}", msg_id="8001"))
    post_encrypted(wechat, message_xml("订单 PO-9 发货延迟", msg_id="8002"))
    accounts_ticket = Ticket.objects.get(requester=personas.anna)
    bound = WechatFollower.objects.get()
    binding.unbind(follower=bound, contact=inbound.contact_for(bound.account, bound.openid))

    later = post_encrypted(wechat, message_xml("还有一个问题", msg_id="8003")).reply()
    assert accounts_ticket.number not in later
    assert accounts_ticket.messages.count() == 1
    api_client(personas.ada).post(f"/api/v1/tickets/{accounts_ticket.number}/messages",
                                  {"body": "PO-9 已发货"}, content_type="application/json")  # fmt: skip
    assert not Delivery.objects.filter(channel=Delivery.Channel.WECHAT).exists()
    outbox.send_due(timezone.now())
    assert not fake_wechat.messages
