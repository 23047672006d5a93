"""``kefu demo``'s Official Account ``demo`` answers the README's curl examples: URL verification
with the official example's signature, and a plaintext push signed with the Token (compatible
mode) that becomes a ticket."""

from __future__ import annotations

import pytest
from django.test import Client

from kefu.demo import seed_wechat
from kefu.intake.wechat.models import WechatAccount
from kefu.tickets.models import Ticket

# The README's examples, verbatim.
VERIFY = ("/wechat/demo/?signature=f464b24fc39322e44b38aa78f5edd27bd1441696&timestamp=1714036504"
          "&nonce=1514711492&echostr=4375120948345356249")  # fmt: skip
PUSH = ("/wechat/demo/?signature=899cf89e464efb63f54ddac96b0a0a235f53aa78&timestamp=1714037059"
        "&nonce=486452656")  # fmt: skip
BODY = ("<xml><ToUserName><![CDATA[gh_demo]]></ToUserName><FromUserName><![CDATA[o-demo-user]]>"
        "</FromUserName><CreateTime>1714037059</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        "<Content><![CDATA[订单 PO-1 还没发货]]></Content><MsgId>1</MsgId></xml>")  # fmt: skip


@pytest.mark.django_db
def test_the_demo_account_verifies_and_takes_a_signed_plaintext_push(personas):
    seed_wechat()
    seed_wechat()  # idempotent
    account = WechatAccount.objects.get()
    assert (account.code, account.token, account.app_id) == ("demo", "AAAAA", "wxba5fad812f8e6fb9")
    client = Client()
    assert client.get(VERIFY).content == b"4375120948345356249"
    reply = client.post(PUSH, BODY, content_type="text/xml")
    assert reply.status_code == 200
    ticket = Ticket.objects.get()
    assert ticket.number in reply.content.decode() and ticket.channel == "wechat"
