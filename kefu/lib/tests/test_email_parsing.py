"""parse_email: structure, headers, attachments, forwards, and never raising on real mail."""

from __future__ import annotations

import contextlib
import random
from datetime import UTC
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest

from kefu.lib import mime
from kefu.lib.mime import NotAnEmailError, ParsedEmail, parse_email

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "emails"
OWN = Path(__file__).resolve().parent / "fixtures" / "emails"
NOT_EMAILS = {"empty.eml", "not-an-email-no-headers.eml"}


def shared_names() -> list:
    if not SHARED.is_dir():
        reason = f"shared email corpus not found at {SHARED}"
        return [pytest.param("", marks=pytest.mark.skip(reason=reason))]
    return sorted(path.name for path in SHARED.glob("*.eml"))


def shared(name: str) -> ParsedEmail:
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"shared email corpus not found at {SHARED}")
    return parse_email(path.read_bytes())


def own(name: str) -> ParsedEmail:
    return parse_email((OWN / name).read_bytes())


@pytest.mark.parametrize("name", shared_names())
def test_every_shared_message_parses_and_yields_content(name: str) -> None:
    parsed = shared(name)
    assert len(parsed.raw_sha256) == 64
    assert parsed.text or parsed.html or parsed.attachments or parsed.forwarded


@pytest.mark.parametrize("name", sorted(p.name for p in OWN.glob("*.eml")))
def test_every_own_fixture_parses_or_is_rejected_as_not_an_email(name: str) -> None:
    if name in NOT_EMAILS:
        with pytest.raises(NotAnEmailError):
            own(name)
    else:
        assert isinstance(own(name), ParsedEmail)


def test_own_fixture_set_is_large_enough() -> None:
    assert len(list(OWN.glob("*.eml"))) >= 30


@pytest.mark.parametrize("name", shared_names())
def test_truncated_and_corrupted_messages_never_raise(name: str) -> None:
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"shared email corpus not found at {SHARED}")
    data = path.read_bytes()
    rng = random.Random(name)
    variants = [data[: len(data) * cut // 8] for cut in range(1, 8)]
    for _ in range(5):
        mutated = bytearray(data)
        for _flip in range(max(1, len(data) // 50)):
            mutated[rng.randrange(len(data))] = rng.randrange(256)
        variants.append(bytes(mutated))
    for variant in variants:
        with contextlib.suppress(NotAnEmailError):
            parse_email(variant)


def test_input_that_is_not_an_email_raises_a_typed_error() -> None:
    for raw in (b"", b"   \r\n\t", b"just words, no header at all"):
        with pytest.raises(NotAnEmailError):
            parse_email(raw)
    with pytest.raises(TypeError):
        parse_email("From: a@b\n\nstr, not bytes")  # type: ignore[arg-type]


def test_malformed_headers_are_recovered_and_reported() -> None:
    parsed = own("malformed-headers.eml")
    assert parsed.subject.startswith("未闭合 and ")
    assert (parsed.from_name, parsed.from_address) == ("Broken", "quote@example.com")
    assert [box.address for box in parsed.to] == ["ops@buyer.example"]
    assert parsed.date is None
    assert parsed.message_id == "broken@@id"
    assert parsed.text == "Body after broken headers: 订单 PO-7781 未到货。"
    assert any("malformed line" in defect for defect in parsed.defects)


def test_missing_from_falls_back_to_return_path_with_a_defect() -> None:
    parsed = own("missing-from.eml")
    assert parsed.from_address == "buyer@acme.example"
    assert "no usable From header; sender taken from return-path" in parsed.defects


def test_message_without_any_sender_still_parses() -> None:
    parsed = parse_email(b"Subject: orphan\r\n\r\nno sender at all\r\n")
    assert parsed.from_address is None
    assert parsed.text == "no sender at all"
    assert "no usable From header" in parsed.defects


def test_duplicate_headers_use_the_first_and_are_reported() -> None:
    parsed = own("duplicate-headers.eml")
    assert parsed.subject == "First subject"
    assert parsed.from_address == "first@acme.example"
    assert parsed.message_id == "dup-1@acme.example"
    assert "duplicate subject header (2); the first one is used" in parsed.defects


def test_very_long_lines_survive_intact() -> None:
    parsed = own("very-long-lines.eml")
    assert parsed.subject == "长" * 3000
    assert parsed.text.endswith("END-OF-LONG-BODY")
    assert parsed.text.count("订单PO-12345") == 4000


def test_twelve_megabyte_attachment_round_trips() -> None:
    payload = random.Random(12).randbytes(12 * 1024 * 1024)
    message = EmailMessage(policy=SMTP)
    message["From"] = "Big Sender <big@acme.example>"
    message["To"] = "service@kefu.example"
    message["Subject"] = "12 MB of photos"
    message.set_content("Photos of the damaged pallets attached.")
    message.add_attachment(payload, maintype="application", subtype="zip",
                           filename="托盘照片.zip")  # fmt: skip
    parsed = parse_email(message.as_bytes())
    assert parsed.text == "Photos of the damaged pallets attached."
    [attachment] = parsed.attachments
    assert attachment.filename == "托盘照片.zip"
    assert attachment.content_type == "application/zip"
    assert attachment.data == payload


def test_absurdly_deep_nesting_is_cut_off_with_a_defect() -> None:
    parsed = own("multipart-deeply-nested.eml")
    assert any("MIME tree too large" in defect for defect in parsed.defects)


def test_nesting_deeper_than_the_stdlib_parser_can_recurse_degrades_gracefully() -> None:
    nested = "Content-Type: text/plain\n\nbottom of the well\n"
    for level in range(3000, 0, -1):
        head = f'Content-Type: multipart/mixed; boundary="b{level}"\n\n'
        nested = f"{head}--b{level}\n{nested}--b{level}--\n"
    parsed = parse_email(("From: a@b.example\nSubject: deep\n" + nested).encode())
    assert (parsed.subject, parsed.from_address) == ("deep", "a@b.example")
    assert "extraction failed (compat32): RecursionError" in " ".join(parsed.defects)


def test_multipart_without_boundary_is_recovered() -> None:
    parsed = own("multipart-missing-boundary.eml")
    assert parsed.text == "Text that lives in a multipart without a boundary parameter."
    assert "NoBoundaryInMultipartDefect" in parsed.defects


def test_broken_base64_keeps_what_decodes_and_reports_it() -> None:
    parsed = own("broken-base64.eml")
    assert parsed.text.startswith("货物损坏，需要退货")
    assert "InvalidBase64CharactersDefect" in parsed.defects
    assert "\x1e" not in parsed.text  # control characters are stripped from bodies


def test_leading_bom_and_blank_lines_are_skipped() -> None:
    parsed = own("leading-bom-blank-lines.eml")
    assert parsed.subject == "delivered by a webhook that prepends junk"
    assert parsed.text == "Body text."


def test_threading_headers_are_normalised() -> None:
    parsed = own("ticket-number-reply.eml")
    assert parsed.message_id == "reply-kf-1@acme.example"
    assert parsed.in_reply_to == "kf-out-KF20251107001-2@kefu.example"
    assert parsed.references == [
        "kf-out-KF20251107001-1@kefu.example",
        "kf-out-KF20251107001-2@kefu.example",
    ]


def test_dates_are_timezone_aware() -> None:
    parsed = own("webmail-qq-reply-gbk.eml")
    assert parsed.date is not None and parsed.date.utcoffset().total_seconds() == 8 * 3600
    naive = parse_email(b"From: a@b.example\r\nDate: 1 Apr 2015 00:00:00 -0000\r\n\r\nx\r\n")
    assert naive.date is not None and naive.date.tzinfo == UTC


def test_nested_forwards_are_exposed_in_order_with_their_attachments() -> None:
    parsed = own("forward-nested-rfc822.eml")
    assert [(f.subject, f.depth) for f in parsed.forwarded] == [
        ("Fwd: Shipment SH-778 held at customs", 1),
        ("Shipment SH-778 held at customs", 2),
    ]
    inner = parsed.forwarded[1]
    assert inner.from_address == "desk@carrier.example"
    assert inner.text == "Your shipment SH-778 is held. Customs form attached."
    [pdf] = parsed.attachments
    assert (pdf.filename, pdf.forwarded_depth) == ("customs-form.pdf", 2)
    assert pdf.data.startswith(b"%PDF")
    assert "Customs form attached." in parsed.full_text()


def test_shared_forward_as_rfc822_attachment() -> None:
    parsed = shared("forwarded-as-message-rfc822.eml")
    [forward] = parsed.forwarded
    assert forward.subject == "Another PDF"
    assert [a.filename for a in forward.attachments] == ["broken.pdf"]
    assert [(a.filename, a.forwarded_depth) for a in parsed.attachments] == [("broken.pdf", 1)]


def test_forward_without_comment_still_has_readable_text() -> None:
    parsed = shared("forwarded-inline.eml")
    assert parsed.text == ""
    assert parsed.forwarded[0].text.startswith("Новый заказ №28922")
    assert "Новый заказ №28922" in parsed.full_text()


def test_original_returned_in_a_bounce_is_marked_and_its_files_not_collected() -> None:
    parsed = own("bounce-delay-dsn.eml")
    [returned] = parsed.forwarded
    assert returned.returned
    assert returned.message_id == "kf-out-KF20251107007-1@kefu.example"
    assert parsed.attachments == []
    assert "We received your request" not in parsed.full_text()


def test_inline_image_with_content_id() -> None:
    parsed = own("inline-image-cid.eml")
    [image] = parsed.attachments
    assert (image.filename, image.inline, image.content_id) == (
        "screenshot.png", True, "shot-1@acme.example")  # fmt: skip
    assert parsed.html is not None and 'src="cid:shot-1@acme.example"' in parsed.html
    assert parsed.text.startswith("The label page fails")


def test_chinese_attachment_names_rfc2231_rfc2047_and_path_traversal() -> None:
    parsed = own("attachment-rfc2231-chinese.eml")
    assert [a.filename for a in parsed.attachments] == [
        "报价单（2025年11月）.xlsx",
        "装箱单.pdf",
        "发票扫描件.pdf",
        "evil.exe",
    ]


@pytest.mark.parametrize(
    ("name", "filename"),
    [
        ("attachment-raw-8bit-filename.eml", "管理.doc"),
        ("attachment-raw-nonascii-filename.eml", "ciële.txt"),
        ("cjk-japanese-attachment-long-rfc2231-name.eml", "かきくけこ" * 5 + ".txt"),
        ("iphone-with-attachment.eml", "photo.JPG"),
        ("bounce-mailsite-malformed.eml", None),
    ],
)
def test_shared_attachment_names(name: str, filename: str | None) -> None:
    names = [attachment.filename for attachment in shared(name).attachments]
    assert names == ([filename] if filename else [])


def test_attachment_name_with_an_invalid_byte_for_its_charset() -> None:
    [attachment] = shared("attachment-rfc2047-encoded-name.eml").attachments
    assert attachment.filename.startswith("01 Quien Te Dij")
    assert attachment.filename.endswith("at. Pitbull.mp3")


def test_format_flowed_text_is_unwrapped() -> None:
    raw = (
        b"From: a@b.example\r\nSubject: flowed\r\nContent-Type: text/plain; charset=utf-8;"
        b" format=flowed; delsp=yes\r\n\r\nThe pallets arrived dam \r\naged. Please call.\r\n"
        b"\r\n> quoted line that was  \r\n> soft wrapped\r\n-- \r\nsig\r\n"
    )
    assert parse_email(raw).text == (
        "The pallets arrived damaged. Please call.\n\n> quoted line that was soft wrapped\n-- \nsig"
    )


def test_html_only_mail_gets_a_text_rendering() -> None:
    parsed = shared("html-only-inline-image.eml")
    assert parsed.text_from_html
    assert parsed.text == "Test of HTML section"
    assert parsed.attachments[0].inline


def test_calendar_invite_is_human_mail_with_ics_attachments() -> None:
    parsed = own("calendar-invite.eml")
    assert parsed.text == "Let's review the account on Monday."
    assert [a.content_type for a in parsed.attachments] == ["text/calendar", "application/ics"]
    assert parsed.attachments[0].data.startswith(b"BEGIN:VCALENDAR")
    assert parsed.auto is None


def test_headers_of_interest_include_our_own_markers() -> None:
    parsed = own("autoreply-own-outbound-loop.eml")
    assert parsed.headers["x-kefu-ticket"] == "KF20251107009"
    assert parsed.headers["auto-submitted"] == "auto-replied"


def test_parses_again_with_the_other_policy_when_extraction_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = mime.Walker.walk_message
    calls = []

    def flaky(self: mime.Walker, message, depth=0, *, returned=False):  # type: ignore[no-untyped-def]
        calls.append(message.policy)
        if len(calls) == 1:
            raise IndexError("simulated header parser bug")
        return original(self, message, depth, returned=returned)

    monkeypatch.setattr(mime.Walker, "walk_message", flaky)
    parsed = own("ticket-number-reply.eml")
    assert parsed.text.startswith("It arrived, thanks.")
    assert calls == list(mime.PARSE_POLICIES)
    assert any("extraction failed (compat32): IndexError" in d for d in parsed.defects)


def test_degrades_to_headers_and_raw_body_when_every_policy_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RecursionError("simulated")

    monkeypatch.setattr(mime.Walker, "walk_message", broken)
    parsed = own("ticket-number-reply.eml")
    assert parsed.subject == "RE: Re: [KF20251107001] Where is my order?"
    assert parsed.from_address == "anna@acme.example"
    assert parsed.text.startswith("It arrived, thanks.")
    assert sum("extraction failed" in d for d in parsed.defects) == 2
