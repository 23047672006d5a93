"""split_reply: the visible new text of a reply, in Chinese and English mail clients' styles."""

from __future__ import annotations

from pathlib import Path

import pytest

from kefu.lib.html import html_to_text
from kefu.lib.mime import parse_email
from kefu.lib.quotes import split_reply

OWN = Path(__file__).resolve().parent / "fixtures" / "emails"


@pytest.mark.parametrize(
    ("name", "visible", "quoted_start"),
    [
        ("webmail-qq-reply-gbk.eml", "您好，货物已经收到，但是有两箱破损，照片见附件。",
         "------------------&nbsp;原始邮件"),
        ("webmail-163-reply.eml", "补充一下：采购订单号 PO-2025-1107，合同编号 HT-88。",
         "在 2025-11-07 10:00:14"),
        ("webmail-foxmail-reply.eml",
         "发票已经重新开具了吗？我们月底要做账。\n\n\nzhaolei@foxmail.com", "From: 客服中心"),
        ("webmail-outlook-zh-reply.eml", "您好，\n\n附件是报关单，请查收。", "________"),
        ("webmail-gmail-zh-reply.eml", "收到，谢谢！我们明天安排付款。", "客服中心 <service@"),
        ("webmail-outlook-en-original-message.eml",
         "We still get HTTP 500 from the webhook – see the log attached.", "--\nDave Miller"),
        ("ticket-number-reply.eml", "It arrived, thanks. You can close the ticket.",
         "On Fri, Nov 7, 2025"),
    ],
)  # fmt: skip
def test_webmail_replies(name: str, visible: str, quoted_start: str) -> None:
    text = parse_email((OWN / name).read_bytes()).text
    split = split_reply(text)
    assert split.visible == visible
    assert split.quoted.startswith(quoted_start)


def test_html_only_gmail_reply_is_split_after_rendering() -> None:
    html = (
        '<div dir="ltr">Thanks, solved.</div><br><div class="gmail_quote"><div dir="ltr" '
        'class="gmail_attr">On Fri, Nov 7, 2025 at 10:00 AM Kefu &lt;service@kefu.example&gt; '
        'wrote:<br></div><blockquote class="gmail_quote">Please retry.</blockquote></div>'
    )
    visible, quoted = split_reply(html_to_text(html))
    assert visible == "Thanks, solved."
    assert quoted.endswith("> Please retry.")


@pytest.mark.parametrize(
    ("text", "visible"),
    [
        ("好的\n\n在 2025年11月7日 星期五 10:00，客服中心 <s@k.example> 写道：\n> 旧", "好的"),
        ("好的\n於 2025年11月7日 週五 上午10:00，客服 <s@k.example> 寫道：\n> 舊", "好的"),
        ("OK\n\nOn Fri, Nov 7, 2025 at 10:00 AM Kefu Support <\ns@k.example> wrote:\n> old", "OK"),
        ("OK\n-----Original Message-----\nFrom: x\nold", "OK"),
        ("好的\n-----原始邮件-----\n发件人: x\n旧", "好的"),
        ("好的\n\n发自我的iPhone\n\n------------------ 原始邮件 ------------------\n旧", "好的"),
        ("OK\n\nSent from my iPhone\n\n> old", "OK"),
        ("OK\n\nGet Outlook for Android", "OK"),
        ("好的\n\n发自我的华为手机", "好的"),
        ("Hi\n-- \nJohn Smith\nACME Ltd", "Hi"),
        ("Answer\n\n> question one\n> question two\n", "Answer"),
        ("请处理\n\n发件人: 客服 <s@k.example>\n发送时间: 11月7日\n收件人: 我\n主题: 旧", "请处理"),
        ("Fix?\n\nFrom: Kefu <s@k.example>\nSent: Friday\nTo: me\nSubject: old", "Fix?"),
    ],
)
def test_cut_markers(text: str, visible: str) -> None:
    assert split_reply(text).visible == visible


@pytest.mark.parametrize(
    "text",
    [
        "Shipment details:\nFrom: Shenzhen\nTo: Los Angeles\nDate: 2025-11-07\nPlease check.",
        "> my question?\nmy inline answer\n> another question\nanother answer",
        "Please note: the label says sent from my warehouse in Ningbo.",
        "我们在上周提到的问题还没解决。",
        "On Monday the truck arrived late.",
    ],
)
def test_ordinary_text_is_not_cut(text: str) -> None:
    assert split_reply(text) == (text, "")


def test_never_returns_an_empty_visible_part_for_real_text() -> None:
    text = "-----Original Message-----\nFrom: x\nforwarded content only"
    assert split_reply(text) == (text, "")
    assert split_reply("") == ("", "")
    assert split_reply("\r\n  \r\n") == ("", "")
