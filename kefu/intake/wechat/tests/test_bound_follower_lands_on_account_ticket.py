"""A WeChat user binds to a customer account with a one-time code from the portal; from then on
their messages land on the account's ticket (requester, organisation, verified), threading onto
the open ticket of that conversation. Unbound, they land on a contact ticket of their own. Codes
work once and expire; only the account's own links are listed and unlinked."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kefu.intake.wechat.models import WechatBindingCode, WechatFollower
from kefu.intake.wechat.tests.fakes import make_account, message_xml, post_encrypted
from kefu.testing import session_client
from kefu.tickets.models import Ticket


def _post(user, url: str):
    """A form post from the portal page, with its CSRF token."""
    client = session_client(user)
    client.get("/portal/wechat/")
    return client.post(url, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)


def _code_from_portal(user) -> str:
    response = _post(user, "/portal/wechat/")
    assert response.status_code == 200
    match = re.search(r"绑定 ([A-Z0-9]{8})", response.content.decode())
    assert match, response.content.decode()
    return match.group(1)


@pytest.mark.django_db
def test_a_bound_followers_message_lands_on_their_accounts_ticket(personas):
    make_account()
    wechat = Client()
    post_encrypted(wechat, message_xml("你好，我想问个问题", msg_id="5001"))
    contact_ticket = Ticket.objects.get()
    assert contact_ticket.organization is None

    code = _code_from_portal(personas.anna)
    bound = post_encrypted(wechat, message_xml(f"绑定 {code}", msg_id="5002"))
    assert "Acme Trading" in bound.reply()
    follower = WechatFollower.objects.get()
    assert follower.user == personas.anna and follower.is_bound
    assert Ticket.objects.count() == 1  # the binding command is no message for support

    first = post_encrypted(wechat, message_xml("订单 PO-7 发货延迟，请帮忙催一下", msg_id="5003"))
    ticket = Ticket.objects.exclude(pk=contact_ticket.pk).get()
    assert ticket.number in first.reply()
    assert (ticket.requester, ticket.organization, ticket.is_verified) == (
        personas.anna,
        personas.acme,
        True,
    )
    assert ticket.channel == "wechat"

    post_encrypted(wechat, message_xml("补充：需要本周内到货", msg_id="5004"))
    assert Ticket.objects.count() == 2
    assert list(ticket.messages.order_by("pk").values_list("body", flat=True)) == [
        "订单 PO-7 发货延迟，请帮忙催一下",
        "补充：需要本周内到货",
    ]
    contact_ticket.refresh_from_db()
    assert contact_ticket.requester != personas.anna and contact_ticket.messages.count() == 1
    # Anna sees the ticket in her portal.
    assert session_client(personas.anna).get(f"/portal/t/{ticket.number}/").status_code == 200


@pytest.mark.django_db
def test_a_code_binds_once_and_not_after_it_expires(personas):
    make_account()
    code = _code_from_portal(personas.anna)
    post_encrypted(Client(), message_xml(f"bind {code.lower()}", msg_id="6001", openid="oFIRST"))
    second = post_encrypted(Client(), message_xml(f"绑定 {code}", msg_id="6002", openid="oSECOND"))
    assert "not valid" in second.reply() or "无效" in second.reply()
    assert WechatFollower.objects.get(openid="oFIRST").user == personas.anna
    assert not WechatFollower.objects.get(openid="oSECOND").is_bound

    late = _code_from_portal(personas.otto)
    WechatBindingCode.objects.filter(user=personas.otto).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    post_encrypted(Client(), message_xml(f"绑定 {late}", msg_id="6003", openid="oTHIRD"))
    assert not WechatFollower.objects.get(openid="oTHIRD").is_bound


@pytest.mark.django_db
def test_the_portal_lists_and_unlinks_only_the_accounts_own_followers(personas):
    make_account()
    code = _code_from_portal(personas.anna)
    post_encrypted(Client(), message_xml(f"绑定 {code}", msg_id="7001"))
    follower = WechatFollower.objects.get()
    assert (
        "…" + follower.openid[-6:]
        in session_client(personas.anna).get("/portal/wechat/").content.decode()
    )
    assert (
        follower.openid[-6:]
        not in session_client(personas.otto).get("/portal/wechat/").content.decode()
    )
    assert _post(personas.otto, f"/portal/wechat/{follower.pk}/unbind/").status_code == 404
    assert _post(personas.anna, f"/portal/wechat/{follower.pk}/unbind/").status_code == 302
    follower.refresh_from_db()
    assert not follower.is_bound and follower.user.email.endswith("@wechat.invalid")
    post_encrypted(Client(), message_xml("解绑后的消息", msg_id="7002"))
    assert Ticket.objects.get().organization is None


@pytest.mark.django_db
def test_a_sub_account_that_may_not_file_tickets_gets_no_code(personas):
    from kefu.accounts.actions import set_account_scopes

    set_account_scopes(account=personas.sam.account, scopes=[])
    response = _post(personas.sam, "/portal/wechat/")
    assert response.status_code == 200
    assert "绑定 " not in response.content.decode()
    assert not WechatBindingCode.objects.exists()
