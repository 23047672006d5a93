import pytest

from kefu.intake.base import InboundMessage
from kefu.intake.ingest import ingest
from kefu.tickets.models import Message, Ticket

SECRETS = ("6222021234567890128", "11010519491231002X", "13812345678", "384756")


@pytest.mark.django_db
def test_secrets_are_masked_before_storage_in_every_field(personas):
    text = ("我的卡号 6222 0212 3456 7890 128，身份证 11010519491231002X，"
            "手机 13812345678，验证码是 384756，订单 PO-123 请查收")  # fmt: skip
    message = InboundMessage(
        channel="wechat", external_id="w1", text=text, full_text=text + "\n> quoted",
        subject="验证码 384756 收不到退款", html=f"<p>{text}</p>",
        sender_address="anna@acme.test",
    )  # fmt: skip
    result = ingest(message)
    stored = Message.objects.get(pk=result.message.pk)
    ticket = Ticket.objects.get(pk=result.ticket.pk)
    for value in (stored.body, stored.body_full, stored.html, ticket.subject):
        for secret in SECRETS:
            assert secret not in value.replace(" ", "")
    assert "PO-123" in stored.body  # order numbers are not secrets
    assert stored.html == ""  # HTML that carried secrets is dropped; the masked text stays
    assert set(result.masked) >= {"bank_card", "id_number", "mobile", "verification_code"}
