"""A signed push Kefu cannot decrypt (the account's EncodingAESKey was mistyped) is answered
``success``, kept in the quarantine with the reason, and once an admin fixes the key,
re-processing it opens the ticket it should have."""

from __future__ import annotations

import pytest
from django.test import Client

from kefu.intake import quarantine
from kefu.intake.models import Quarantine
from kefu.intake.wechat.models import WechatAccount
from kefu.intake.wechat.tests.fakes import AES_KEY, make_account, message_xml, post_encrypted
from kefu.tickets.models import Ticket


@pytest.mark.django_db
def test_a_push_kept_for_a_wrong_key_becomes_a_ticket_once_the_key_is_fixed(personas):
    account = make_account()
    WechatAccount.objects.filter(pk=account.pk).update(encoding_aes_key="B" * 43)
    sent = post_encrypted(Client(), message_xml("退款还没到账", msg_id="8001"))
    assert (sent.status, sent.text) == (200, "success")
    held = Quarantine.objects.get()
    assert held.stage == "parse" and "CryptoError" in held.reason
    assert not Ticket.objects.exists()

    assert quarantine.reprocess(held).outcome == "quarantined"  # still the wrong key
    held.refresh_from_db()
    assert held.state == Quarantine.State.HELD and held.attempts == 2

    account = WechatAccount.objects.get()
    account.encoding_aes_key = AES_KEY
    account.save()
    result = quarantine.reprocess(held)
    assert result.outcome == "ticket"
    held.refresh_from_db()
    assert held.state == Quarantine.State.REPROCESSED and held.ticket == result.ticket
    assert Ticket.objects.get().messages.get().body == "退款还没到账"
