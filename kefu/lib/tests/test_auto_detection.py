"""Machine-mail detection: the shared corpus oracle, our own fixtures, and each signal alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from kefu.lib.mime import AutoKind, ParsedEmail, parse_email
from kefu.lib.mime_auto import ReportInfo, classify

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "emails"
OWN = Path(__file__).resolve().parent / "fixtures" / "emails"
# The README names autoreply-*, bounce-*, mdn-* and arf-*; ndr-* is its truncated Exchange NDR
# (multipart/report; report-type=delivery-status), which is just as much machine mail.
MACHINE_PREFIXES = ("autoreply-", "bounce-", "mdn-", "arf-", "ndr-")


NOT_EMAILS = {"empty.eml", "not-an-email-no-headers.eml"}


def corpus() -> list:
    files: list = [path for path in sorted(OWN.glob("*.eml")) if path.name not in NOT_EMAILS]
    if SHARED.is_dir():
        return files + sorted(SHARED.glob("*.eml"))
    reason = f"shared email corpus not found at {SHARED}"
    return [*files, pytest.param(SHARED / "missing", marks=pytest.mark.skip(reason=reason))]


def parse(path: Path) -> ParsedEmail:
    return parse_email(path.read_bytes())


@pytest.mark.parametrize("path", corpus(), ids=lambda p: getattr(p, "name", str(p)))
def test_oracle_machine_mail_is_exactly_the_machine_files(path: Path) -> None:
    parsed = parse(path)
    if path.name.startswith(MACHINE_PREFIXES):
        assert parsed.is_machine_mail, f"{path.name}: not detected ({parsed.subject!r})"
        assert parsed.auto is not None and parsed.auto.reason
    else:
        assert not parsed.is_machine_mail, f"{path.name}: false positive {parsed.auto}"


def shared(name: str) -> ParsedEmail:
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"shared email corpus not found at {SHARED}")
    return parse(path)


@pytest.mark.parametrize(
    ("name", "kind", "reason"),
    [
        ("arf-complaint-yahoo.eml", AutoKind.FEEDBACK, "feedback-report"),
        ("mdn-read-receipt.eml", AutoKind.MDN, "disposition-notification"),
        ("bounce-postfix-01.eml", AutoKind.BOUNCE, "Action failed"),
        # README calls it a delay warning, but its DSN says "Action: failed" (gave up after 5 days)
        ("bounce-delayed-warning.eml", AutoKind.BOUNCE, "Action failed"),
        ("bounce-gmail-01.eml", AutoKind.BOUNCE, "sender mailer-daemon@googlemail.com"),
        ("bounce-qmail-01.eml", AutoKind.BOUNCE, "sender MAILER-DAEMON@mx4.example.jp"),
        ("autoreply-rfc3834-01.eml", AutoKind.AUTO_REPLY, "Auto-Submitted: auto-replied"),
        ("autoreply-rfc3834-03-apple.eml", AutoKind.AUTO_REPLY, "subject 'Auto reply: Nyaan'"),
        ("from-encoded-word.eml", AutoKind.BULK, "Precedence: bulk"),
    ],
)
def test_shared_kinds_and_reasons(name: str, kind: AutoKind, reason: str) -> None:
    auto = shared(name).auto
    assert auto is not None and auto.kind == kind
    assert reason in auto.reason


def test_dsn_failed_recipients_are_reported() -> None:
    auto = shared("bounce-postfix-01.eml").auto
    assert auto is not None and auto.recipients == ("kijitora@example.org",)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("autoreply-zh-subject.eml", AutoKind.AUTO_REPLY),
        ("autoreply-outlook-oof.eml", AutoKind.AUTO_REPLY),
        ("bounce-zh-system-notice.eml", AutoKind.BOUNCE),
        ("bounce-delay-dsn.eml", AutoKind.DELAYED),
        ("mdn-zh-read-receipt.eml", AutoKind.MDN),
    ],
)
def test_own_machine_fixtures(name: str, kind: AutoKind) -> None:
    parsed = parse(OWN / name)
    assert parsed.auto is not None and parsed.auto.kind == kind
    assert parsed.is_machine_mail and parsed.suppress_auto_reply


def test_delay_dsn_names_the_recipient() -> None:
    auto = parse(OWN / "bounce-delay-dsn.eml").auto
    assert auto is not None and auto.recipients == ("slow@buyer.example",)


def test_list_relay_is_human_mail_that_is_never_auto_answered() -> None:
    parsed = parse(OWN / "list-group-alias.eml")
    assert parsed.auto is not None and parsed.auto.kind == AutoKind.LIST
    assert not parsed.is_machine_mail
    assert parsed.suppress_auto_reply


@pytest.mark.parametrize(
    "name", ["human-asks-about-autoreply.eml", "human-forwards-bounce.eml", "calendar-invite.eml"]
)
def test_human_mail_that_looks_automatic_is_not_classified(name: str) -> None:
    parsed = parse(OWN / name)
    assert parsed.auto is None and not parsed.suppress_auto_reply


def verdict(subject: str = "Hello", sender: str | None = "someone@buyer.example",
            **headers: str) -> AutoKind | None:  # fmt: skip
    named = {key.replace("_", "-").lower(): value for key, value in headers.items()}
    result = classify(named, subject, sender, ReportInfo())
    return result.kind if result else None


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        ({"auto_submitted": "auto-replied"}, AutoKind.AUTO_REPLY),
        ({"auto_submitted": "auto-generated"}, AutoKind.AUTO_REPLY),
        ({"auto_submitted": "no"}, None),
        ({"x_autoreply": "yes"}, AutoKind.AUTO_REPLY),
        ({"x_autorespond": "Vacation"}, AutoKind.AUTO_REPLY),
        ({"x_failed_recipients": "a@b.example"}, AutoKind.BOUNCE),
        ({"precedence": "junk"}, AutoKind.BULK),
        ({"precedence": "list"}, AutoKind.LIST),
        ({"list_id": "<ops.acme.example>"}, AutoKind.LIST),
        ({}, None),
    ],
)
def test_header_signals(headers: dict[str, str], kind: AutoKind | None) -> None:
    assert verdict(**headers) == kind


@pytest.mark.parametrize("local", ["MAILER-DAEMON", "mailer-daemon", "postmaster", "Mail.Delivery"])
def test_machine_senders(local: str) -> None:
    assert verdict(sender=f"{local}@mx.example") == AutoKind.BOUNCE


@pytest.mark.parametrize(
    ("subject", "kind"),
    [
        ("Automatic reply: Invoice", AutoKind.AUTO_REPLY),
        ("Auto reply: Invoice", AutoKind.AUTO_REPLY),
        ("Out of Office: Invoice", AutoKind.AUTO_REPLY),
        ("自动回复: 发票", AutoKind.AUTO_REPLY),
        ("自動回覆：發票", AutoKind.AUTO_REPLY),
        ("【自动回复】发票", AutoKind.AUTO_REPLY),
        ("Undeliverable: Invoice", AutoKind.BOUNCE),
        ("Delivery Status Notification (Failure)", AutoKind.BOUNCE),
        ("Delivery Status Notification (Delay)", AutoKind.DELAYED),
        ("Returned mail: see transcript for details", AutoKind.BOUNCE),
        ("failure notice", AutoKind.BOUNCE),
        ("Mail delivery failed: returning message to sender", AutoKind.BOUNCE),
        ("系统退信", AutoKind.BOUNCE),
        ("退信：无法投递", AutoKind.BOUNCE),
        ("Re: Automatic reply: Invoice", None),
        ("自动回复功能怎么设置？", None),
        ("Out of office tomorrow?", None),
        ("Returned goods for PO-77", None),
        ("Failure of the label printer", None),
        ("讀取: 報價", None),
        ("Fwd: Undeliverable: invoice", None),
    ],
)
def test_subject_signals(subject: str, kind: AutoKind | None) -> None:
    assert verdict(subject=subject) == kind


def test_report_structure_beats_everything() -> None:
    report = ReportInfo(report_type="delivery-status", actions=("delayed", "delayed"))
    result = classify({"auto-submitted": "auto-replied"}, "Hello", "a@b.example", report)
    assert result is not None and result.kind == AutoKind.DELAYED
    delivered = ReportInfo(report_type="delivery-status", actions=("delivered",))
    success = classify({}, "Hello", "a@b.example", delivered)
    assert success is not None and success.kind == AutoKind.AUTO_REPLY
