"""Signed callbacks with odd contents (unknown keys and menus, letters for digits, speech, a
call id of another line, none at all) get a spoken answer or a clear 4xx, never a 500."""

import httpx
import pytest

from kefu.intake.phone.defaults import install_hotline
from kefu.intake.phone.models import Call
from kefu.intake.phone.tests.conftest import OTTO_MOBILE, SECRET
from kefu.intake.phone.tests.fake_platform import twilio_signature


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_odd_but_signed_callbacks_are_answered(call_from, frozen):
    call = call_from(OTTO_MOBILE)
    call.incoming()
    wrong = call.press("*")  # not on the menu
    assert call.says(wrong) == ["抱歉，没有这个选项。"]
    assert wrong.find("Redirect") is not None
    call.follow_redirect()
    said = call.post(call.url("key?menu=merchant-main"), SpeechResult="订单问题")  # spoken label
    assert "请输入订单号" in " ".join(call.says(said))
    letters = call.post(call.url("order"), Digits="abc")
    assert "请输入订单号" in " ".join(call.says(letters))
    assert not Call.objects.get().order_id
    for url in ("menu?menu=nowhere&tries=x", "menu?tries=99", "key?menu=nowhere",
                "ticket?menu=merchant-main"):  # fmt: skip
        answer = call.post(call.url(url), Digits="9" * 300)
        assert len(answer) >= 1
    call.post(call.url("agent?agent=NOBODY"), CallStatus="in-progress")
    call.post(call.url("voicemail"))  # no recording: the caller hears so
    call.post(call.url("status"), CallStatus="completed", CallDuration="x" * 50)
    assert Call.objects.get().duration_seconds is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_call_ids_are_required_and_belong_to_one_line(call_from, frozen, live_server):
    call = call_from(OTTO_MOBILE)
    call.incoming()
    install_hotline(code="enterprise", kind="enterprise", name="企业热线", number="+864008005678",
                    secret=SECRET)  # fmt: skip
    other = call.url("incoming").replace("/merchant/", "/enterprise/")
    assert call.send(other).status_code == 409  # the same CallSid on another line
    url = call.url("incoming")
    bare = {"From": OTTO_MOBILE}
    response = httpx.post(url, data=bare, headers={"X-Twilio-Signature":
                                                   twilio_signature(SECRET, url, bare)})  # fmt: skip
    assert response.status_code == 422 and "CallSid" in response.text
    assert Call.objects.count() == 1
