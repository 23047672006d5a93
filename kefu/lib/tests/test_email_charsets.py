"""Charsets: the shared README's table of expected decodings, our own legacy/lying samples,
and the decoding rules themselves (aliases, fallbacks, bounded mojibake repair)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kefu.lib.mime import ParsedEmail, parse_email
from kefu.lib.mime_charset import decode_bytes, normalize_charset, repair_double_encoding

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "emails"
OWN = Path(__file__).resolve().parent / "fixtures" / "emails"


def shared(name: str) -> ParsedEmail:
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"shared email corpus not found at {SHARED}")
    return parse_email(path.read_bytes())


def own(name: str) -> ParsedEmail:
    return parse_email((OWN / name).read_bytes())


def squeeze(text: str) -> str:
    return " ".join(text.split())


# --- the README's "Expected decodings" table, row by row -----------------------------------------


def test_readme_gb2312_label_on_utf8_body() -> None:
    parsed = shared("zh-gb2312-8bit-plain.eml")
    assert parsed.from_name == "张先生"
    assert parsed.subject == "代开各地增值税发票"
    assert parsed.text.startswith("你好！我公司可代开各类增值税发票，17%专用发票，3%普通发票")
    assert "浣犲ソ" not in parsed.text
    assert [box.address for box in parsed.to] == ["danglüe@email.com"]


def test_readme_gb2312_label_with_bytes_outside_gb2312() -> None:
    parsed = shared("zh-gb2312-b64-html-only-spam.eml")
    assert parsed.subject.startswith("我把镜头拉近")
    assert len(parsed.subject) == 30
    digest = hashlib.sha256(parsed.subject.encode()).hexdigest()
    assert digest == "a0bae1f456e16c43d561d335ef0b712df2600df51cc2d9d3879e9268f7f106b7"
    assert parsed.text_from_html
    assert "\ufffd" not in parsed.text and "我把镜头拉近" in parsed.text


def test_readme_gb2312_encoded_words_that_need_gb18030() -> None:
    parsed = shared("zh-gb2312-label-needs-gb18030.eml")
    assert (parsed.from_name, parsed.from_address) == ("梁祐晟", "some.address@some.domain")
    [to] = parsed.to
    assert (to.name, to.address) == ("'林慶美'", "other.address@some.domain")
    assert parsed.subject == "讀取: ??排??生?a"


def test_readme_raw_big5_headers() -> None:
    parsed = shared("zh-big5-raw8bit-headers.eml")
    assert parsed.subject == "養樂多線上訂購"
    assert (parsed.from_name, parsed.from_address) == ("養樂多", "c@y")
    assert [(box.name, box.address) for box in parsed.to] == [("養樂多線上訂購", "r@d")]


def test_readme_double_encoded_big5_is_repaired() -> None:
    parsed = shared("zh-big5-raw8bit-subject-html-empty-cte.eml")
    assert parsed.subject == (
        "4d8119\u3000(大補泡麵專賣) 大家說英語 每日聽MP3 (2004年6月份) "
        "繁體中文光碟版 (英語教學)\u30008afb90"
    )
    assert "Yahoo! 工具列 - 內置防止彈出視窗工能！" in parsed.text
    assert any("repaired double encoding" in defect for defect in parsed.defects)


def test_readme_big5_body_labelled_us_ascii() -> None:
    parsed = shared("zh-big5-body-labelled-us-ascii.eml")
    assert squeeze(parsed.text).startswith(
        squeeze("顏是家訓  北齊  顏之推  卷第七　音辭　雜藝　終制")
    )


def test_readme_ndr_gb2312_label_on_gbk_bytes() -> None:
    parsed = shared("ndr-gb2312-qp-mislabelled-truncated.eml")
    assert parsed.text.startswith("次の受信者またはグループへの配信に失敗しました:")


def test_readme_character_split_across_encoded_words() -> None:
    subject = shared("encoded-word-split-multibyte.eml").subject
    # The "good" outcome the file describes: U+263A U+0020 U+0076 U+0173 U+002E U+0020 ... U+BB98
    assert subject.startswith("\u263a\u0020\u0076\u0173\u002e\u0020")
    assert subject.endswith("\ubb98")


@pytest.mark.parametrize(
    ("name", "subject", "fragment"),
    [
        ("cjk-korean-ks_c_5601.eml", "test", "스"),
        ("cjk-japanese-iso-2022-jp.eml", "まみむめも", "すみません。"),
        ("cjk-japanese-attachment-long-rfc2231-name.eml", "まみむめも" * 10, ""),
    ],
)
def test_readme_cjk_alias_charsets_decode_without_error(
    name: str, subject: str, fragment: str
) -> None:
    parsed = shared(name)
    assert parsed.subject == subject
    assert fragment in parsed.text and "\ufffd" not in parsed.text


# --- other charset lies in the shared corpus ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("charset-unknown-x-unknown.eml", "☺"),
        ("charset-bogus-label-html-meta-conflict.eml", "fooЧbar"),
        ("charset-only-in-html4-meta.eml", "tæst"),
        ("charset-missing-utf8-8bit-text.eml", "How does the decoder copé wìth hïgh bïtş"),
        ("incorrect-charset-utf8-labelled-ascii.eml", "Using Unicode/UTF-8"),
        ("no-mime-version-no-charset.eml", "This mail has no MIME-Version tag on purpose."),
        ("autoreply-rfc3834-05-mboxfrom.eml", "zukünftig"),
    ],
)
def test_shared_charset_lies(name: str, expected: str) -> None:
    assert expected in shared(name).text


def test_shared_utf8_subject_and_cp1252_display_name() -> None:
    assert shared("charset-only-in-html4-meta.eml").subject == "tæst"
    assert shared("from-encoded-word.eml").from_name == "Ingo Lütkebohle"


# --- our own legacy and mislabelled samples ----------------------------------------------------


def test_gbk_body_declared_gb2312() -> None:
    parsed = own("charset-gbk-declared-gb2312.eml")
    assert parsed.text == (
        "王喆、李堃、周昇和朱镕：贵司的祐康牌产品已上架。玥珺公司的发票编号为 FP-20251107。"
    )
    assert parsed.subject == "【商品】- 祐康实业 - 上架确认"
    assert parsed.from_name == "周昇"


def test_big5_taiwan_mail() -> None:
    parsed = own("charset-big5-taiwan.eml")
    assert parsed.subject == "【物流】- 台灣某某股份有限公司 - 訂單未出貨"
    assert parsed.from_name == "林志明"
    assert "我們的訂單尚未出貨" in parsed.text


def test_gbk_body_declared_latin1_is_detected() -> None:
    parsed = own("charset-gbk-declared-latin1.eml")
    assert parsed.text == "请尽快处理退款，订单号 PO-99812，谢谢。"


def test_hz_encoded_body() -> None:
    assert own("charset-hz-gb-2312.eml").text == "你好，物流查询"


def test_double_encoded_gbk_is_repaired() -> None:
    assert own("charset-double-encoded-gbk.eml").text == "关于发票的问题，请回复"


def test_raw_utf8_headers() -> None:
    parsed = own("headers-raw-utf8.eml")
    assert parsed.subject == "【账号】- 北京某某科技 - 子账号无法登录"
    assert (parsed.from_name, parsed.to[0].name) == ("张伟", "客服")


def test_qq_reply_gbk_labelled_gb2312() -> None:
    parsed = own("webmail-qq-reply-gbk.eml")
    assert parsed.from_name == "王喆"
    assert parsed.subject == "回复：[KF20251107001] 【物流】- 深圳市堃鹏贸易有限公司 - 货物延迟"
    assert parsed.text.startswith("您好，货物已经收到，但是有两箱破损")


# --- the rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("GB2312", "gb18030"),
        ('"gbk"', "gb18030"),
        ("x-gbk", "gb18030"),
        ("Big5", "big5hkscs"),
        ("ks_c_5601-1987", "cp949"),
        ("ISO-2022-JP", "iso2022_jp_2"),
        ("iso-8859-1", "cp1252"),
        ("utf-8-prunus", "utf-8"),
        ("x-unknown", None),
        ("us-ascii", None),
        ("unicode_escape", None),
        ("zlib", None),
        ("", None),
        (None, None),
    ],
)
def test_charset_labels_are_normalised(label: str | None, codec: str | None) -> None:
    assert normalize_charset(label) == codec


def test_declared_charset_wins_when_it_decodes_cleanly() -> None:
    assert decode_bytes("스팸".encode("cp949"), "ks_c_5601-1987").text == "스팸"
    assert decode_bytes("café".encode("cp1252"), "iso-8859-1").text == "café"


def test_utf8_is_tried_when_the_label_lies_and_vice_versa() -> None:
    decoded = decode_bytes("café crème".encode(), "iso-8859-1")
    assert (decoded.text, decoded.charset) == ("café crème", "utf-8")
    assert decode_bytes("物流延误".encode("gbk"), "utf-8").text == "物流延误"


def test_short_unlabelled_cjk_prefers_the_message_hint() -> None:
    data = "報價單".encode("big5")
    assert decode_bytes(data, None, hint="big5").text == "報價單"


def test_utf8_replacement_characters_are_not_read_as_gbk() -> None:
    # EF BF BD read as GBK is the infamous 锟斤拷; the text was already damaged as UTF-8.
    decoded = decode_bytes("\ufffd\ufffd.txt".encode(), None)
    assert decoded.text == "\ufffd\ufffd.txt"
    [attachment] = shared("outlook-express.eml").attachments
    assert "锟" not in attachment.filename


def test_repair_only_when_the_heuristic_is_sure() -> None:
    assert repair_double_encoding("Größe über Straße") is None
    assert repair_double_encoding("naïve café") is None
    mojibake = "关于发票".encode("gbk").decode("latin-1")
    assert repair_double_encoding(mojibake) == ("关于发票", "gb18030")


def test_undecodable_bytes_degrade_to_replacement_characters() -> None:
    decoded = decode_bytes(b"\x81\xff\xfe broken", "gb2312")
    assert decoded.text.endswith(" broken")
    assert decoded.note is not None
