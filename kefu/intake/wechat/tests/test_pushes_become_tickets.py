"""Text, image and voice pushes land on a WeChat ticket through the intake pipeline, once per
MsgId; the follower's next message continues the same ticket; the passive reply (encrypted in
safe mode) names the ticket; events update the follower and open no ticket; plaintext mode works
for accounts set to it; a signed push that cannot be read is quarantined with its reason."""

from __future__ import annotations

import pytest
from django.test import Client

from kefu.delivery.models import Delivery
from kefu.intake.models import InboundRecord, Outcome, Quarantine
from kefu.intake.wechat.models import WechatAccount, WechatFollower
from kefu.intake.wechat.tests.fakes import (
    OPENID,
    make_account,
    message_xml,
    post_encrypted,
    post_plain,
)
from kefu.tickets.models import Channel, Message, Ticket


@pytest.mark.django_db
def test_a_text_message_opens_a_contact_ticket_and_the_encrypted_reply_names_it(personas):
    make_account()
    sent = post_encrypted(Client(), message_xml("订单 PO-1 还没发货，请帮忙查一下"))
    assert sent.status == 200
    assert "<Encrypt>" in sent.text and "<MsgSignature>" in sent.text
    ticket = Ticket.objects.get()
    assert ticket.channel == Channel.WECHAT
    assert ticket.organization is None and not ticket.is_verified
    assert ticket.requester.email.endswith("@wechat.invalid")
    assert ticket.number in sent.reply()
    assert ticket.messages.get().body == "订单 PO-1 还没发货，请帮忙查一下"
    follower = WechatFollower.objects.get()
    assert (follower.openid, follower.ticket, follower.is_bound) == (OPENID, ticket, False)
    # No mail is owed to an address that cannot receive it.
    assert not Delivery.objects.filter(channel=Delivery.Channel.EMAIL).exists()


@pytest.mark.django_db
def test_a_redelivered_msgid_lands_once_and_the_next_message_continues_the_ticket(personas):
    make_account()
    client = Client()
    first = post_encrypted(client, message_xml("物流一直没有更新", msg_id="2001"))
    again = post_encrypted(client, message_xml("物流一直没有更新", msg_id="2001"))
    later = post_encrypted(client, message_xml("单号 SF123456789", msg_id="2002"))
    assert (first.status, again.status, later.status) == (200, 200, 200)
    assert again.text == "success"  # WeChat's retry is not answered twice
    ticket = Ticket.objects.get()
    theirs = ticket.messages.filter(author_role=Message.AuthorRole.CUSTOMER).order_by("pk")
    assert list(theirs.values_list("body", flat=True)) == [
        "物流一直没有更新",
        "单号 SF123456789",
    ]
    assert InboundRecord.objects.filter(outcome=Outcome.DUPLICATE).count() == 0
    assert InboundRecord.objects.count() == 2


@pytest.mark.django_db
def test_image_and_voice_messages_carry_their_picture_link_and_recognised_speech(personas):
    make_account()
    client = Client()
    post_encrypted(client, message_xml(msg_type="image", msg_id="3001",
                                       PicUrl="http://mmbiz.qpic.cn/pic.jpg", MediaId="media-1"))  # fmt: skip
    post_encrypted(client, message_xml(msg_type="voice", msg_id="3002", MediaId="media-2",
                                       Format="amr", Recognition="我的货到了但是少了两箱"))  # fmt: skip
    bodies = list(Message.objects.order_by("pk").values_list("body", flat=True))
    assert "http://mmbiz.qpic.cn/pic.jpg" in bodies[0] and "media-1" in bodies[0]
    assert "我的货到了但是少了两箱" in bodies[1] and "media-2" in bodies[1]
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
def test_subscribe_is_welcomed_and_unsubscribe_recorded_without_a_ticket(personas):
    make_account()
    client = Client()
    welcome = post_encrypted(client, message_xml(msg_type="event", msg_id="", Event="subscribe"))
    assert welcome.status == 200 and "Kefu 客服" in welcome.reply()
    assert WechatFollower.objects.get().subscribed
    post_encrypted(client, message_xml(msg_type="event", msg_id="", Event="unsubscribe"))
    assert not WechatFollower.objects.get().subscribed
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_plaintext_mode_takes_signed_pushes_and_refuses_unsigned_ones(personas):
    make_account(mode=WechatAccount.Mode.PLAIN)
    client = Client()
    assert post_plain(client, message_xml(msg_id="4001"), signature="0" * 40).status == 403
    assert not Ticket.objects.exists()
    sent = post_plain(client, message_xml("发票抬头错了", msg_id="4002"))
    assert sent.status == 200 and "<Encrypt>" not in sent.text
    assert Ticket.objects.get().number in sent.reply()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, reason",
    [
        ("<xml><Content>broken", "not well-formed"),
        ('<!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Content>&a;</Content></xml>', "unsafe XML"),
        (message_xml(openid="o" * 65), "not an OpenID"),
        ('{"FromUserName": "a b", "MsgType": "text"}', "not an OpenID"),
        ("[1, 2]", "not well-formed"),
    ],
)
def test_a_signed_push_that_cannot_be_read_is_quarantined(personas, body, reason):
    make_account(mode=WechatAccount.Mode.PLAIN)
    sent = post_plain(Client(), body)
    assert (sent.status, sent.text) == (200, "success")
    held = Quarantine.objects.get()
    assert held.channel == Channel.WECHAT and reason in held.reason
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_url_verification_answers_echostr_only_when_signed(personas):
    make_account()
    client = Client()
    # The official example (Token AAAAA), as in the shared vectors.
    ok = client.get("/wechat/demo/?signature=f464b24fc39322e44b38aa78f5edd27bd1441696"
                    "&timestamp=1714036504&nonce=1514711492&echostr=4375120948345356249")  # fmt: skip
    assert (ok.status_code, ok.content) == (200, b"4375120948345356249")
    bad = client.get("/wechat/demo/?signature=f464b24fc39322e44b38aa78f5edd27bd1441697"
                     "&timestamp=1714036504&nonce=1514711492&echostr=4375120948345356249")  # fmt: skip
    assert bad.status_code == 403 and b"4375120948345356249" not in bad.content


@pytest.mark.django_db
def test_a_json_push_lands_too_and_is_answered_success(personas):
    make_account(mode=WechatAccount.Mode.PLAIN)
    body = ('{"ToUserName":"gh_97417a04a28d","FromUserName":"o9AgO5Kd5ggOC-bXrbNODIiE3bGY",'
            '"CreateTime":1714037059,"MsgType":"text","Content":"发票什么时候开","MsgId":99}')  # fmt: skip
    sent = post_plain(Client(), body)
    assert (sent.status, sent.text) == (200, "success")
    ticket = Ticket.objects.get()
    assert (
        ticket.messages.filter(author_role=Message.AuthorRole.CUSTOMER).get().body
        == "发票什么时候开"
    )
