"""A safe-mode push whose msg_signature does not match is refused with 403 and leaves nothing:
no inbound record, no ticket, no follower, no quarantine. So is one signed only with the plain
``signature`` (the docs: never rely on it in safe mode) and a plaintext push to a safe-mode
account."""

from __future__ import annotations

import pytest
from django.test import Client

from kefu.accounts.models import User
from kefu.intake.models import InboundRecord, Quarantine
from kefu.intake.wechat.models import WechatFollower
from kefu.intake.wechat.tests.fakes import make_account, message_xml, post_encrypted, post_plain
from kefu.tickets.models import Ticket


def _nothing_left() -> None:
    assert not InboundRecord.objects.exists()
    assert not Ticket.objects.exists()
    assert not Quarantine.objects.exists()
    assert not WechatFollower.objects.exists()
    assert not User.objects.filter(email__endswith="@wechat.invalid").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("tamper", ["signature", "body", "plain-signature"])
def test_a_tampered_push_is_refused_and_creates_nothing(personas, tamper):
    make_account()
    sent = post_encrypted(Client(), message_xml(), tamper=tamper)
    assert sent.status == 403
    _nothing_left()


@pytest.mark.django_db
def test_the_same_push_untampered_is_taken(personas):
    make_account()
    assert post_encrypted(Client(), message_xml()).status == 200
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
def test_a_plaintext_push_to_a_safe_mode_account_is_refused(personas):
    make_account()
    assert post_plain(Client(), message_xml()).status == 403
    _nothing_left()


@pytest.mark.django_db
def test_an_unknown_account_is_not_found(personas):
    make_account()
    assert post_encrypted(Client(), message_xml(), code="other").status == 404
    _nothing_left()
