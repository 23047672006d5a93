"""NUL characters and broken UTF-8 — in the path, the query, a JSON body or a form — are refused
with 422 naming the field, in the caller's language, before any handler tries to store them.
They used to be 500s: PostgreSQL rejects NUL in text, and neither database driver can encode a
lone surrogate. These run on both databases."""

from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kefu.testing import api_client, make_ticket, sample_file, session_client
from kefu.tickets.models import Attachment, Ticket

NUL_EN = "Remove the NUL character (\\x00); text may not contain it."
NUL_ZH = "请删除 NUL 字符（\\x00）；文本中不能包含它。"
UTF8_EN = "Send the text as valid UTF-8."
JSON = "application/json"


def _only_error(response):
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "validation_error"
    [error] = body["detail"]
    return error


@pytest.mark.django_db
def test_nul_in_a_new_ticket_is_refused_naming_the_field_in_chinese(personas):
    client = api_client(personas.anna, **{"Accept-Language": "zh-CN"})
    payload = {"subject": "货\u0000没到", "body": "一周没有轨迹"}
    error = _only_error(client.post("/api/v1/tickets", payload, content_type=JSON))
    assert (error["loc"], error["type"]) == (["body", "subject"], "nul_character")
    assert error["msg"] == f"主题：{NUL_ZH}"
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_nul_deep_in_a_body_is_named_by_its_path(personas):
    payload = {"subject": "s", "body": "b", "tags": ["ok", "bad\u0000tag"]}
    error = _only_error(
        api_client(personas.alice).post("/api/v1/tickets", payload, content_type=JSON)
    )
    assert error["loc"] == ["body", "tags", 1]
    assert error["msg"] == f"Tags: {NUL_EN}"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/tickets?q=PO%00", "/api/v1/kb/search?q=%E9%80%80%00"])
def test_nul_in_the_search_words_is_refused(personas, url):
    error = _only_error(api_client(personas.alice).get(url))
    assert error["loc"] == ["query", "q"]
    assert error["msg"] == f"Search words: {NUL_EN}"


@pytest.mark.django_db
def test_broken_utf8_in_the_query_is_refused(client):
    error = _only_error(client.get("/api/v1/kb/search?q=%E9%80"))
    assert (error["loc"], error["type"]) == (["query", "q"], "invalid_utf8")
    assert error["msg"] == f"Search words: {UTF8_EN}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "loc", "kind"),
    [
        (b'{"subject": "\\ud800", "body": "b"}', ["body", "subject"], "invalid_utf8"),
        (b'{"subject": "\xe9\x80", "body": "b"}', ["body"], "invalid_utf8"),
        (
            b'{"subject": "s", "body": "b", "order_id": "PO\\u0000"}',
            ["body", "order_id"],
            "nul_character",
        ),
    ],
)
def test_lone_surrogates_broken_bytes_and_escaped_nul_in_json_are_refused(personas, raw, loc, kind):
    response = api_client(personas.anna).post("/api/v1/tickets", raw, content_type=JSON)
    assert (_only_error(response)["loc"], _only_error(response)["type"]) == (loc, kind)
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_nul_in_the_path_is_refused_and_broken_utf8_there_stays_harmless_text(personas):
    client = api_client(personas.anna)
    assert _only_error(client.get("/api/v1/tickets/KF%00"))["loc"] == ["path"]
    # Django re-escapes broken UTF-8 in a path (uvicorn has made it U+FFFD already): the
    # number is the text "KF%E9%80", which names no ticket.
    response = client.get("/api/v1/tickets/KF%E9%80")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


@pytest.mark.django_db
def test_a_form_with_nul_gets_an_error_page_in_chinese_not_a_500(personas):
    personas.anna.language = "zh-hans"
    client = session_client(personas.anna)
    client.cookies["django_language"] = "zh-hans"
    page = client.get("/portal/new/")
    token = page.context["csrf_token"]
    form = {"csrfmiddlewaretoken": token, "subject": "屏幕\u0000碎了", "body": "三块屏幕"}
    response = client.post("/portal/new/", form, headers={"Accept": "text/html"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "无法受理此请求" in html and "主题：请删除 NUL 字符" in html
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_a_urlencoded_form_with_nul_is_refused(personas):
    ticket = make_ticket(personas.anna)
    client = session_client(personas.lena)
    token = client.get(f"/desk/t/{ticket.number}/").context["csrf_token"]
    body = urlencode({"csrfmiddlewaretoken": token, "into": "KF\x00"})
    response = client.post(
        f"/desk/t/{ticket.number}/merge/",
        body,
        content_type="application/x-www-form-urlencoded",
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 422
    assert "into: " + NUL_EN in response.content.decode()


@pytest.mark.django_db
def test_broken_utf8_in_a_multipart_field_is_refused(personas):
    ticket = make_ticket(personas.anna)
    boundary = "kefu-test"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="message_id"\r\n\r\n'.encode()
        + b"\xe9\x80\r\n"
        + f"--{boundary}--\r\n".encode()
    )
    response = api_client(personas.anna).post(
        f"/api/v1/tickets/{ticket.number}/attachments",
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert _only_error(response)["loc"] == ["form", "message_id"]


@pytest.mark.django_db
def test_the_chat_widgets_forms_get_json(client):
    """The widget posts with fetch (Accept: */*), so it can show the message."""
    response = client.post("/chat/leave/", {"email": "a@b.test", "text": "hi\u0000"})
    assert _only_error(response)["loc"] == ["form", "text"]


@pytest.mark.django_db
def test_files_may_contain_nul_bytes_and_their_names_may_not(personas):
    ticket = make_ticket(personas.anna)
    client = api_client(personas.anna)
    url = f"/api/v1/tickets/{ticket.number}/attachments"
    png = sample_file("png")
    assert b"\x00" in png
    assert client.post(url, {"file": SimpleUploadedFile("ok.png", png)}).status_code == 201
    refused = client.post(url, {"file": SimpleUploadedFile("a\x00.png", png)})
    assert _only_error(refused)["msg"] == f"File: {NUL_EN}"
    assert Attachment.objects.count() == 1


@pytest.mark.django_db
def test_the_mail_webhook_takes_8bit_mail_whatever_its_content_type(personas):
    """A raw RFC 5322 message may well carry GBK bytes; curl -d sends it as a form."""
    mail = (
        "From: 王先生 <wang@buyer.test>\r\nTo: service@kefu.example.com\r\n"
        "Subject: 物流没有更新\r\nContent-Type: text/plain; charset=gbk\r\n\r\n"
        "订单 PO-1 一周没有轨迹\r\n"
    ).encode("gbk")
    response = api_client(personas.ada).post(
        "/api/v1/inbound/email?mailbox=service",
        mail,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200, response.content
    assert Ticket.objects.get().subject == "物流没有更新"
