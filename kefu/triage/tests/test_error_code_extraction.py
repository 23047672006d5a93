"""extract_error_code: clear code shapes only; order ids, amounts and 验证码 are never codes."""

import pytest

from kefu.triage.errorcodes import extract_error_code, extract_error_codes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("批量打印面单报错 AE-ERR-403", "AE-ERR-403"),
        ("label printing fails with ae-err-500 again", "AE-ERR-500"),
        ("error code: E1027 when syncing", "E1027"),
        ("错误码：10086", "10086"),
        ("errcode=40001 from the WeChat API", "40001"),
        ("错误代码为 PAY_TIMEOUT_01", "PAY_TIMEOUT_01"),
        ("Chrome shows ERR_CONNECTION_RESET on the seller centre", "ERR_CONNECTION_RESET"),
        ("NET::ERR_CERT_DATE_INVALID on your API domain", "NET::ERR_CERT_DATE_INVALID"),
        ("we get HTTP 502 from /v2/orders", "HTTP 502"),
        ("server returned 503 Service Unavailable", "HTTP 503"),
        ("status code 500 on every call", "HTTP 500"),
        ("接口状态码：429", "HTTP 429"),
    ],
)
def test_finds_the_code(text, expected):
    assert extract_error_code(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "订单号 2025110712345 没发货",
        "验证码 123456 收不到",
        "I paid 500 dollars for order 4410023987",
        "we got 404 on the page",  # a bare number is not clearly a status
        "the error code is wrong in your documentation",
        "Order #AE-123456 is late",
        "call me at +86 138 1234 5678",
    ],
)
def test_is_conservative(text):
    assert extract_error_code(text) is None


def test_the_most_specific_code_wins_and_all_are_listed_in_order():
    text = "控制台显示 ERR_CONNECTION_RESET，页面提示 AE-ERR-403，接口 HTTP 502"
    assert extract_error_code(text) == "AE-ERR-403"
    assert extract_error_codes(text) == ["ERR_CONNECTION_RESET", "AE-ERR-403", "HTTP 502"]


def test_full_width_text_is_normalised():
    assert extract_error_code("错误码：ＡＥ－ＥＲＲ－４０３") == "AE-ERR-403"
