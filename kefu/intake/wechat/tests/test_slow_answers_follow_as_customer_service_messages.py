"""When WeChat's 5-second window is too short for the bot, the passive reply says the question is
being handled (正在处理) and the answer follows as a customer-service message through the outbox:
worked out by the delivery worker when the bot could not start in time, sent by it when the bot's
answer came too late for the passive reply. The windows are settings, set to 0 here so that every
push counts as late (no test waits or measures time)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from kefu.delivery import outbox
from kefu.delivery.models import Delivery
from kefu.intake.wechat.tests.fakes import (
    OPENID,
    FakeWechat,
    make_account,
    message_xml,
    post_encrypted,
)
from kefu.knowledge.actions import load_articles
from kefu.testing import api_client
from kefu.tickets.models import Message, Ticket

Role = Message.AuthorRole
ON_IT = "正在处理，请稍候"


@pytest.fixture
def fake_wechat(settings, db):
    load_articles()  # the shipped help centre
    fake = FakeWechat().start()
    settings.KEFU_WECHAT_API_BASE = fake.url
    yield fake
    fake.stop()


@pytest.mark.django_db
def test_the_bot_that_cannot_start_in_time_answers_later(personas, fake_wechat, settings):
    settings.KEFU_WECHAT_BOT_START_SECONDS = 0
    make_account()
    reply = post_encrypted(Client(), message_xml("退款多久到账", msg_id="7001")).reply()
    ticket = Ticket.objects.get()
    assert ticket.number in reply and ON_IT in reply and "退款多久能到账" not in reply
    assert not ticket.messages.filter(author_role=Role.BOT).exists()  # not worked out yet
    assert outbox.send_due(timezone.now()) == 1
    [sent] = fake_wechat.messages
    assert sent["touser"] == OPENID and "退款多久能到账" in sent["text"]["content"]
    bot = ticket.messages.get(author_role=Role.BOT)
    assert bot.body == sent["text"]["content"]
    row = Delivery.objects.get(channel=Delivery.Channel.WECHAT)
    assert (row.state, row.text) == (Delivery.State.SENT, bot.body)


@pytest.mark.django_db
def test_a_question_the_bot_cannot_answer_later_is_left_to_an_agent(
    personas, fake_wechat, settings
):
    settings.KEFU_WECHAT_BOT_START_SECONDS = 0
    make_account()
    post_encrypted(Client(), message_xml("集装箱 ZZ-99 在鹿特丹港被扣了", msg_id="7002"))
    outbox.send_due(timezone.now())
    [sent] = fake_wechat.messages
    assert "人工客服会在这里答复您" in sent["text"]["content"]
    assert not Ticket.objects.get().messages.filter(author_role=Role.BOT).exists()


@pytest.mark.django_db
def test_an_agent_who_answered_meanwhile_leaves_the_bot_nothing_to_send(
    personas, fake_wechat, settings
):
    settings.KEFU_WECHAT_BOT_START_SECONDS = 0
    make_account()
    post_encrypted(Client(), message_xml("退款多久到账", msg_id="7003"))
    ticket = Ticket.objects.get()
    api_client(personas.ada).post(f"/api/v1/tickets/{ticket.number}/messages",
                                  {"body": "3 个工作日内到账。"}, content_type="application/json")  # fmt: skip
    assert outbox.send_due(timezone.now()) == 2
    assert [m["text"]["content"] for m in fake_wechat.messages] == ["3 个工作日内到账。"]
    assert not ticket.messages.filter(author_role=Role.BOT).exists()


@pytest.mark.django_db
def test_an_answer_ready_too_late_for_the_passive_reply_is_sent_after_it(
    personas, fake_wechat, settings
):
    settings.KEFU_WECHAT_PASSIVE_SECONDS = 0
    make_account()
    reply = post_encrypted(Client(), message_xml("退款多久到账", msg_id="7004")).reply()
    assert ON_IT in reply and "退款多久能到账" not in reply
    ticket = Ticket.objects.get()
    bot = ticket.messages.get(author_role=Role.BOT)  # worked out in the request, recorded once
    assert outbox.send_due(timezone.now()) == 1
    assert [m["text"]["content"] for m in fake_wechat.messages] == [bot.body]
