"""Every real-world message and every fixture of ours, delivered through ``deliver``: each lands
as a ticket with the expected decoded subject and text, is recorded as machine mail, or is kept
in quarantine with its reason. Nothing raises and nothing is lost."""

from __future__ import annotations

import hashlib
from email.message import EmailMessage
from pathlib import Path

import pytest

from kefu.delivery.models import Delivery
from kefu.intake.email.inbound import deliver
from kefu.intake.ingest import IngestResult
from kefu.intake.models import InboundRecord, Outcome, Quarantine
from kefu.lib.mime import parse_email
from kefu.lib.subject import strip_reply_prefixes
from kefu.testing import sample_file
from kefu.tickets.models import Ticket

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "emails"
OWN = Path(__file__).resolve().parents[2] / "lib" / "tests" / "fixtures" / "emails"
MACHINE_PREFIXES = ("autoreply-", "bounce-", "mdn-", "arf-", "ndr-")
# Only what is not mail at all, or names nobody to answer, goes to quarantine.
QUARANTINED = {
    "empty.eml": ("parse", "empty input"),
    "not-an-email-no-headers.eml": ("parse", "no header fields"),
    "charset-bogus-label-html-meta-conflict.eml": ("identity", "no usable sender address"),
    "zh-big5-body-labelled-us-ascii.eml": ("identity", "no usable sender address"),  # a bare part
    "generated-no-sender-at-all": ("identity", "no usable sender address"),
}
# Says nothing a person could act on (an emoji): no ticket; the sender is asked for details.
ASKED_FOR_DETAILS = {"charset-unknown-x-unknown.eml"}
BIG5_SUBJECT = ("4d8119\u3000(大補泡麵專賣) 大家說英語 每日聽MP3 (2004年6月份) "
                "繁體中文光碟版 (英語教學)\u30008afb90")  # fmt: skip
# (subject, text the stored body starts with or contains) — the shared README's expected
# decodings, and those of our own legacy-charset and webmail fixtures.
EXPECTED = {
    "zh-gb2312-8bit-plain.eml": ("代开各地增值税发票", "你好！我公司可代开各类增值税发票，17%专用发票，3%普通发票"),
    "zh-gb2312-label-needs-gb18030.eml": ("讀取: ??排??生?a", "bodytext"),
    "zh-big5-raw8bit-headers.eml": ("養樂多線上訂購", "body"),
    "zh-big5-raw8bit-subject-html-empty-cte.eml": (BIG5_SUBJECT, "Yahoo! 工具列 - 內置防止彈出視窗工能！"),
    "cjk-japanese-iso-2022-jp.eml": ("まみむめも", "すみません。"),
    "cjk-korean-ks_c_5601.eml": ("test", "스티해"),
    "charset-big5-taiwan.eml": ("【物流】- 台灣某某股份有限公司 - 訂單未出貨", "您好：\n我們的訂單尚未出貨"),
    "charset-gbk-declared-gb2312.eml": ("【商品】- 祐康实业 - 上架确认", "王喆、李堃、周昇和朱镕"),
    "charset-gbk-declared-latin1.eml": ("refund", "请尽快处理退款，订单号 PO-99812"),
    "charset-hz-gb-2312.eml": ("hz", "你好，物流查询"),
    "charset-double-encoded-gbk.eml": ("double encoded", "关于发票的问题，请回复"),
    "headers-raw-utf8.eml": ("【账号】- 北京某某科技 - 子账号无法登录", "子账号 zw-01 登录时报错 AE-ERR-403。"),
    "webmail-qq-reply-gbk.eml": ("[KF20251107001] 【物流】- 深圳市堃鹏贸易有限公司 - 货物延迟",
                                 "您好，货物已经收到，但是有两箱破损，照片见附件。"),
    "webmail-163-reply.eml": ("[KF20251107002]【订单】- 杭州某某科技 - 补充订单号",
                              "补充一下：采购订单号 PO-2025-1107，合同编号 HT-88。"),
    "webmail-gmail-zh-reply.eml": ("[KF20251107004] 【支付】- 宁波某某进出口 - 账单核对",
                                   "收到，谢谢！我们明天安排付款。"),
    "webmail-outlook-zh-reply.eml": ("[KF20251107003] 【物流】- 上海某某贸易 - 清关资料",
                                     "您好，\n\n附件是报关单，请查收。"),
    "webmail-foxmail-reply.eml": ("【发票】- 苏州某某实业 - 发票抬头错误", "发票已经重新开具了吗？我们月底要做账。"),
    "generated-zero-byte-body": ("订单 PO-31 状态查询", "订单 PO-31 状态查询"),
    "generated-headers-only-no-blank-line": ("只有标题", "只有标题"),
    "generated-twelve-megabyte-attachment": ("【售后】- Acme - 货损照片与报关单", "附件是报关单"),
    "generated-binary-junk-body": ("binary junk", "请尽快安排退货和补发，谢谢。"),
}  # fmt: skip


def _generated() -> dict[str, bytes]:
    """Our own extremes, built here because they are too big or too odd to keep as files."""
    big = EmailMessage()
    big["From"] = "林先生 <lin@buyer.example>"
    big["Subject"] = "【售后】- Acme - 货损照片与报关单"
    big["Message-ID"] = "<twelve-mb@buyer.example>"
    big.set_content("附件是报关单（12 MB），请查收。")
    big.add_attachment(sample_file("pdf", size=12 * 1024 * 1024), "application", "pdf",
                       filename="报关单.pdf")  # fmt: skip
    return {
        "generated-zero-byte-body": (
            b"From: buyer@acme.test\r\nSubject: =?utf-8?b?6K6i5Y2VIFBPLTMxIOeKtuaAgeafpeivog==?=\r\n"
            b"Message-ID: <zero-body@acme.test>\r\n\r\n"
        ),
        "generated-headers-only-no-blank-line": (
            b"From: buyer@acme.test\r\nSubject: =?utf-8?b?5Y+q5pyJ5qCH6aKY?=\r\n"
        ),
        "generated-twelve-megabyte-attachment": big.as_bytes(),
        "generated-binary-junk-body": (
            b"From: junk@acme.test\r\nSubject: binary junk\r\nMessage-ID: <junk@acme.test>\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
            + "订单 PO-77 的货物到了，但是外箱破损，".encode()
            + b"\x00\x00\xe8\xae\xa2 \xff\xfe\x01"  # NULs, a cut-off character, stray bytes
            + "请尽快安排退货和补发，谢谢。\r\n".encode()
        ),
        "generated-no-sender-at-all": b"Subject: nobody\r\nMessage-ID: <nobody@x>\r\n\r\nhello\r\n",
    }


def sources() -> list[tuple[str, Path | str]]:
    """(name, file or generated name) of every input; the shared corpus when it is there."""
    shared = sorted((p.name, p) for p in SHARED.glob("*.eml")) if SHARED.is_dir() else []
    own = sorted((p.name, p) for p in OWN.glob("*.eml"))
    return [*shared, *own, *sorted((name, name) for name in _generated())]


def corpus() -> list:
    if SHARED.is_dir():
        return sources()
    reason = f"shared email corpus not found at {SHARED}"
    return [pytest.param("shared", None, marks=pytest.mark.skip(reason=reason)), *sources()]


def raw_of(source: Path | str) -> bytes:
    return source.read_bytes() if isinstance(source, Path) else _generated()[source]


def test_the_corpus_is_large_enough():
    assert len(list(OWN.glob("*.eml"))) + len(_generated()) >= 30
    if SHARED.is_dir():
        assert len(list(SHARED.glob("*.eml"))) == 53


@pytest.mark.parametrize(
    ("name", "source"), corpus(), ids=lambda v: v if isinstance(v, str) else ""
)
@pytest.mark.django_db
def test_each_message_lands_is_recorded_or_is_held_with_its_reason(name, source):
    raw = raw_of(source)
    result = deliver(raw)
    if name in QUARANTINED:
        stage, reason = QUARANTINED[name]
        entry = Quarantine.objects.get()
        assert result.outcome == Outcome.QUARANTINED and entry.stage == stage
        assert reason in entry.reason and entry.raw_path
        assert not InboundRecord.objects.exists()
    elif name.startswith(MACHINE_PREFIXES):
        record = InboundRecord.objects.get()
        assert result.outcome == record.outcome == Outcome.AUTO_REPLY
        assert record.reason and result.ticket is None
        assert not Ticket.objects.exists() and not Delivery.objects.exists()
    elif name in ASKED_FOR_DETAILS:
        record = InboundRecord.objects.get()
        assert result.outcome == record.outcome == Outcome.IGNORED
        assert record.reason.startswith("no details") and record.raw_path
        assert Delivery.objects.get().to == [parse_email(raw).from_address]
    else:
        assert result.outcome == Outcome.TICKET, result.reason
        assert_landed(name, raw, result)


def assert_landed(name: str, raw: bytes, result: IngestResult) -> None:
    ticket, message = result.ticket, result.message
    record = InboundRecord.objects.get()
    assert record.ticket == ticket and record.message == message and record.raw_path
    assert message.body.strip() and message.channel == "email"
    parsed = parse_email(raw)
    if name in EXPECTED:
        subject, text = EXPECTED[name]
        assert ticket.subject == subject
        assert text in message.body, message.body[:200]
    else:
        decoded = strip_reply_prefixes(parsed.subject).strip()[:255]
        assert ticket.subject == (decoded or message.body.splitlines()[0][:120])
    if parsed.from_address:
        assert ticket.requester.email == parsed.from_address.lower()


@pytest.mark.django_db
def test_the_gb2312_subject_with_bytes_outside_gb2312_decodes_exactly():
    path = SHARED / "zh-gb2312-b64-html-only-spam.eml"
    if not path.is_file():
        pytest.skip(f"shared email corpus not found at {SHARED}")
    ticket = deliver(path.read_bytes()).ticket
    digest = hashlib.sha256(ticket.subject.encode()).hexdigest()
    assert digest == "a0bae1f456e16c43d561d335ef0b712df2600df51cc2d9d3879e9268f7f106b7"
    assert "我把镜头拉近" in ticket.messages.order_by("id").first().body


@pytest.mark.django_db
def test_a_twelve_megabyte_attachment_is_refused_and_listed_but_the_message_lands():
    result = deliver(_generated()["generated-twelve-megabyte-attachment"])
    assert result.outcome == Outcome.TICKET and not result.ticket.attachments.exists()
    [(filename, reason)] = result.refused_files
    assert filename == "报关单.pdf" and "10 MB" in reason
    ack = Delivery.objects.get(ticket=result.ticket, kind=Delivery.Kind.ACKNOWLEDGEMENT)
    assert "报关单.pdf" in ack.text


@pytest.mark.django_db
def test_the_whole_corpus_in_one_database_loses_nothing():
    inputs = [raw_of(source) for _, source in sources()]
    outcomes = [(raw, deliver(raw)) for raw in inputs]
    duplicates = [raw for raw, result in outcomes if result.outcome == Outcome.DUPLICATE]
    accounted = InboundRecord.objects.count() + Quarantine.objects.count() + len(duplicates)
    assert accounted == len(inputs)
    # A duplicate is only ever the same message again (here: one file with CRLF line ends).
    landed = [raw for raw, result in outcomes if result.outcome != Outcome.DUPLICATE]
    seen = {raw.replace(b"\r\n", b"\n") for raw in landed}
    for raw in duplicates:
        assert raw.replace(b"\r\n", b"\n") in seen
    assert all(result.outcome != Outcome.QUARANTINED or result.reason for _, result in outcomes)
