"""WeCom customer service (微信客服) end to end against a fake WeCom API on 127.0.0.1: the callback
URL is verified with the encrypted echostr; a signed ``kf_msg_or_event`` makes the sweeper pull
``kf/sync_msg`` from the saved cursor, and the customer's message becomes a WeChat ticket (once,
however often it is pulled); an agent's reply reaches ``kf/send_msg`` through the outbox with a
cached access_token fetched again on 42001/40014; a tampered msg_signature is refused with 403
and creates nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from kefu.delivery import outbox
from kefu.delivery.models import Delivery
from kefu.intake.wechat import wecom
from kefu.intake.wechat.models import WecomCustomer, WecomKfAccount
from kefu.intake.wechat.tests.wecom_fakes import (
    CUSTOMER,
    OPEN_KFID,
    FakeWecom,
    kf_event_xml,
    make_kf_account,
    post_callback,
    text_msg,
)
from kefu.testing import api_client
from kefu.tickets.models import Channel, Message, Ticket


@pytest.fixture
def fake_wecom(settings):
    fake = FakeWecom().start()
    settings.KEFU_WECOM_API_BASE = fake.url
    yield fake
    fake.stop()


@pytest.mark.django_db
def test_the_callback_url_is_verified_with_the_encrypted_echostr():
    make_kf_account()
    query = ("msg_signature=dd6b9c95b495b3f7e2901bfbc76c664930ffdb96&timestamp=1411443780"
             "&nonce=437374425&echostr=4ByGGj%2BsVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1"
             "%2BbXFXDQQb1o6co6Yh9Bv41n7hOchLF6p%2BQ%3D%3D")  # fmt: skip
    response = Client().get(f"/wecom/kf/?{query}")
    assert (response.status_code, response.content) == (200, b"5927782489442352469")
    wrong = Client().get(f"/wecom/kf/?{query.replace('437374425', '437374424')}")
    assert wrong.status_code == 403 and b"5927782489442352469" not in wrong.content


@pytest.mark.django_db
def test_a_pulled_customer_message_becomes_a_ticket_once(fake_wecom):
    make_kf_account()
    fake_wecom.pages = [
        [text_msg("m1", "订单 PO-7 还没发货"), text_msg("s1", "您好", origin=5)],
        [text_msg("m2", "什么时候能到？")],
    ]
    assert post_callback(Client(), kf_event_xml("SYNC-TOKEN-1")) == 200
    assert not Ticket.objects.exists()  # the pull is the sweeper's, after the answer
    assert wecom.sweep(timezone.now()) == 2
    ticket = Ticket.objects.get()
    assert ticket.channel == Channel.WECHAT and ticket.organization is None
    bodies = list(ticket.messages.order_by("pk").values_list("body", flat=True))
    assert bodies == ["订单 PO-7 还没发货", "什么时候能到？"]  # the servicer's own is not taken
    assert fake_wecom.sync_requests[0] == {"cursor": "", "limit": 1000, "token": "SYNC-TOKEN-1"}
    assert fake_wecom.sync_requests[1]["cursor"] == "C1"
    account = WecomKfAccount.objects.get()
    assert (account.cursor, account.sync_due_at) == ("C2", None)
    customer = WecomCustomer.objects.get()
    assert (customer.external_userid, customer.open_kfid, customer.ticket) == (
        CUSTOMER, OPEN_KFID, ticket)  # fmt: skip
    # Pulled again from the start (a lost cursor): nothing lands twice.
    WecomKfAccount.objects.update(cursor="", sync_due_at=timezone.now())
    assert wecom.sweep(timezone.now()) == 0
    assert Message.objects.filter(ticket=ticket).count() == 2
    assert fake_wecom.tokens_issued == ["WKTOKEN-1"]  # cached across sweeps


@pytest.mark.django_db
def test_an_agents_reply_reaches_send_msg(personas, fake_wecom):
    make_kf_account()
    fake_wecom.pages = [[text_msg("m1", "货物破损，要求退款")]]
    post_callback(Client(), kf_event_xml())
    wecom.sweep(timezone.now())
    ticket = Ticket.objects.get()
    response = api_client(personas.ada).post(
        f"/api/v1/tickets/{ticket.number}/messages", {"body": "已登记退款，请上传照片。"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    row = Delivery.objects.get(channel=Delivery.Channel.WECHAT)
    assert row.to == [CUSTOMER] and not fake_wecom.sent
    fake_wecom.expire()  # the token the pull used is dead now: fetched again, sent once
    assert outbox.send_due(timezone.now()) == 1
    assert fake_wecom.sent == [
        {
            "touser": CUSTOMER,
            "open_kfid": OPEN_KFID,
            "msgtype": "text",
            "text": {"content": "已登记退款，请上传照片。"},
        }
    ]
    assert fake_wecom.tokens_issued == ["WKTOKEN-1", "WKTOKEN-2"]
    assert fake_wecom.token_requests[0]["corpsecret"] == ["wecom-kf-secret"]


@pytest.mark.django_db
def test_a_tampered_msg_signature_is_refused_and_creates_nothing(fake_wecom):
    make_kf_account()
    fake_wecom.pages = [[text_msg("m1", "你好")]]
    assert post_callback(Client(), kf_event_xml(), tamper=True) == 403
    account = WecomKfAccount.objects.get()
    assert (account.sync_due_at, account.sync_token) == (None, "")
    assert wecom.sweep(timezone.now()) == 0
    assert not Ticket.objects.exists() and not fake_wecom.sync_requests


@pytest.mark.django_db
def test_a_failed_pull_is_tried_again_later(fake_wecom):
    account = make_kf_account()
    WecomKfAccount.objects.filter(pk=account.pk).update(secret="wrong")
    fake_wecom.pages = [[text_msg("m1", "你好")]]
    post_callback(Client(), kf_event_xml())
    now = timezone.now()
    assert wecom.sweep(now) == 0
    account.refresh_from_db()
    assert "40001" in account.last_error and account.sync_due_at > now
    WecomKfAccount.objects.filter(pk=account.pk).update(secret="wecom-kf-secret")
    assert wecom.sweep(account.sync_due_at) == 1
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
def test_the_secrets_are_encrypted_at_rest():
    from django.db import connection

    make_kf_account()
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret, token, encoding_aes_key FROM intake_wecomkfaccount")
        stored = cursor.fetchone()
    assert not {"wecom-kf-secret", "123456", "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"} & set(
        stored
    )
