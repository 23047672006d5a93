"""An agent's public reply asking for a password, a verification code or a full card number is
blocked with a clear warning (422 from the API, an error in the desk); internal notes are not."""

import pytest

from kefu.testing import api_client, make_ticket, session_client
from kefu.tickets.models import Message
from kefu.triage.phishing import requested_secret

ASKS = {
    "Please send us your password so we can check.": "password",
    "What is your password?": "password",
    "Can you tell me the verification code you just received?": "verification_code",
    "please reply with the OTP": "verification_code",
    "请提供您收到的验证码": "verification_code",
    "你的密码是多少": "password",
    "把验证码发给我们": "verification_code",
    "Please provide your full card number.": "card_number",
    "请提供完整卡号": "card_number",
}
SAFE = [
    "Please provide the last 4 digits of your card number and the bank name.",
    "请提供银行卡后四位和开户行",
    "Support will never ask for your password or verification codes.",
    "请勿向任何人提供验证码。",
    "We have sent a verification code to your phone, please enter it on the page.",
    "我们已发送验证码到您的手机，请在页面输入。",
    "You can reset your password from the login page.",
    "Please don't share your password with anyone, including us.",
    "Please send the screenshot of the error.",
]


@pytest.mark.parametrize(("text", "kind"), ASKS.items())
def test_requests_for_secrets_are_found(text, kind):
    assert requested_secret(text) == kind


@pytest.mark.parametrize("text", SAFE)
def test_warnings_and_partial_card_digits_are_fine(text):
    assert requested_secret(text) is None


@pytest.mark.django_db
def test_the_api_refuses_the_reply_with_422(personas):
    ticket = make_ticket(personas.anna)
    alice = api_client(personas.alice)
    url = f"/api/v1/tickets/{ticket.number}/messages"
    response = alice.post(
        url, {"body": "To verify, send us your password."}, content_type="application/json"
    )
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["field"] == "body" and "never asks for passwords" in problem["msg"]
    assert "a password" in problem["msg"] and ticket.messages.count() == 1
    note = alice.post(url, {"body": "Customer may try to send us their password; refuse it.",
                            "internal": True}, content_type="application/json")  # fmt: skip
    assert note.status_code == 201


@pytest.mark.django_db
def test_the_desk_shows_the_warning_and_keeps_the_draft_unsent(personas):
    ticket = make_ticket(personas.anna)
    client = session_client(personas.alice)
    client.get(f"/desk/t/{ticket.number}/")
    page = client.post(f"/desk/t/{ticket.number}/", {"body": "Please provide your full card number.",
                       "csrfmiddlewaretoken": client.cookies["csrftoken"].value}, follow=True)  # fmt: skip
    assert "never asks for passwords" in page.content.decode()
    assert not ticket.messages.filter(author_role=Message.AuthorRole.AGENT).exists()
