"""While no agent has answered, the knowledge-base bot answers a WeChat question in the passive
reply (recorded on the ticket as the bot's message, not sent again as a customer-service
message); what it cannot answer gets only the receipt; once an agent answered, the bot is quiet."""

from __future__ import annotations

import pytest
from django.test import Client

from kefu.delivery.models import Delivery
from kefu.intake.wechat.tests.fakes import make_account, message_xml, post_encrypted
from kefu.knowledge.actions import load_articles
from kefu.testing import api_client
from kefu.tickets.models import Message, Ticket

Role = Message.AuthorRole


@pytest.fixture
def articles(db):
    load_articles()  # the shipped help centre


@pytest.mark.django_db
def test_a_question_the_help_centre_answers_is_answered_at_once(personas, articles):
    make_account()
    reply = post_encrypted(Client(), message_xml("退款多久到账", msg_id="9001")).reply()
    ticket = Ticket.objects.get()
    assert ticket.number in reply and "退款多久能到账" in reply
    bot = ticket.messages.get(author_role=Role.BOT)
    assert "退款多久能到账" in bot.body and bot.body in reply
    assert not Delivery.objects.filter(channel=Delivery.Channel.WECHAT).exists()


@pytest.mark.django_db
def test_recognised_speech_is_put_to_the_bot_too(personas, articles):
    make_account()
    voice = message_xml(msg_type="voice", msg_id="9002", MediaId="m", Format="amr",
                        Recognition="发票开错了怎么重开")  # fmt: skip
    assert "发票" in post_encrypted(Client(), voice).reply()
    assert Ticket.objects.get().messages.filter(author_role=Role.BOT).exists()


@pytest.mark.django_db
def test_after_an_agent_answered_the_bot_stays_quiet(personas, articles):
    make_account()
    client = Client()
    post_encrypted(client, message_xml("我的订单 PO-5 有问题", msg_id="9003"))
    ticket = Ticket.objects.get()
    api_client(personas.ada).post(f"/api/v1/tickets/{ticket.number}/messages",
                                  {"body": "请问具体是什么问题？"}, content_type="application/json")  # fmt: skip
    later = post_encrypted(client, message_xml("退款多久到账", msg_id="9004"))
    assert later.text == "success"
    assert not ticket.messages.filter(
        author_role=Role.BOT, body__contains="退款多久能到账"
    ).exists()
