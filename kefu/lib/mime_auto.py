"""Is this mail from a machine?  Auto-replies, bounces, read receipts, abuse reports, lists.

No single signal is enough (RFC 3834 ``Auto-Submitted`` catches about half of real auto-mail), so
several are combined, strongest first: the MIME report structure, the sender, then headers and
subject prefixes.  Every verdict says why, so the ticket can show it.

``is_machine`` is what intake uses to decide "never open a ticket, never answer".  Mail marked
only by ``Precedence: list/bulk`` or ``List-Id`` is still human mail relayed by a list (customers
write from Google-Groups-style aliases); it is classified so that nobody auto-answers it, but it
is not machine mail.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class AutoKind(StrEnum):
    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"
    DELAYED = "delayed"
    MDN = "mdn"
    FEEDBACK = "feedback"
    LIST = "list"
    BULK = "bulk"


_HUMAN_RELAYED = frozenset({AutoKind.LIST, AutoKind.BULK})


@dataclass(frozen=True)
class AutoSubmitted:
    """A machine-mail verdict: what kind, the signal that decided it, failed recipients."""

    kind: AutoKind
    reason: str
    recipients: tuple[str, ...] = ()

    @property
    def is_machine(self) -> bool:
        """True when the mail must not open a ticket (everything but list/bulk relays)."""
        return self.kind not in _HUMAN_RELAYED


@dataclass(frozen=True)
class ReportInfo:
    """What the MIME tree says: multipart/report type, part types, DSN actions and recipients."""

    report_type: str | None = None
    part_types: frozenset[str] = frozenset()
    actions: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()


_MACHINE_SENDERS = re.compile(
    r"^(mailer[-_.]?daemon|mail[-_.]?daemon|postmaster|mail[-_.]?delivery[-_.]?(subsystem|system)?)$",
    re.IGNORECASE,
)
_SEP = r"\s*[:：]"
# Prefixes are anchored at the start and need their colon: "自动回复功能怎么设置？" is a question
# from a customer, "自动回复：…" is a machine.
_AUTO_REPLY_SUBJECT = re.compile(
    r"^\s*(?:[\[【(（]\s*)?(?:automatic\s+reply|auto[-\s]?reply|autoreply|auto[-\s]?respon\w*"
    r"|out\s+of\s+(?:the\s+)?office(?:\s+auto\s*reply)?|自动回复|自動回覆|自動回復|自动答复"
    r"|自動答覆|休假自动回复|réponse\s+automatique|respuesta\s+automática|risposta\s+automatica"
    r"|automatische\s+antwort|abwesenheitsnotiz)\s*(?:[\]】)）]|" + _SEP + ")",
    re.IGNORECASE,
)
_DELAY_SUBJECT = re.compile(
    r"^\s*(?:delivery\s+status\s+notification\s*\(delay\)|delayed\s+mail|delivery\s+delayed"
    r"|mail\s+delivery\s+delayed|warning:\s*could\s+not\s+send\s+message|延迟投递|延迟送达"
    r"|邮件延迟)",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT = re.compile(
    r"^\s*(?:undeliverable(?:\s+mail)?\s*[:：]|undelivered\s+mail\s+returned\s+to\s+sender"
    r"|delivery\s+status\s+notification|mail\s+delivery\s+fail|delivery\s+failure"
    r"|failure\s+notice|returned\s+mail\s*[:：]|non[-\s]?deliver(?:able|y)|unzustellbar"
    r"|non\s+remis|(?:【\s*)?系统退信|退信\s*[:：]|邮件投递失败|邮件无法投递|未能送达)",
    re.IGNORECASE,
)


def _first_match(*checks: AutoSubmitted | None) -> AutoSubmitted | None:
    return next((check for check in checks if check is not None), None)


def classify(
    headers: Mapping[str, str], subject: str, sender: str | None, report: ReportInfo
) -> AutoSubmitted | None:
    """The machine-mail verdict for a message, or None for ordinary human mail.

    ``headers`` maps lower-case names to decoded values; ``sender`` is the From address.
    """
    return _first_match(
        _from_report(report),
        _from_sender(sender, subject, report),
        _from_subject(subject, report),
        _from_headers(headers, report),
        _from_precedence(headers),
    )


def _from_report(report: ReportInfo) -> AutoSubmitted | None:
    kinds = {report.report_type or "", *report.part_types}
    if kinds & {"feedback-report", "message/feedback-report"}:
        return AutoSubmitted(AutoKind.FEEDBACK, "ARF feedback report (message/feedback-report)")
    if kinds & {"disposition-notification", "message/disposition-notification"}:
        return AutoSubmitted(AutoKind.MDN, "read receipt (message/disposition-notification)")
    if kinds & {"delivery-status", "message/delivery-status"}:
        return _dsn_verdict("delivery status notification (multipart/report)", report)
    if report.report_type:
        return AutoSubmitted(AutoKind.AUTO_REPLY, f"multipart/report ({report.report_type})")
    return None


def _dsn_verdict(reason: str, report: ReportInfo) -> AutoSubmitted:
    actions = {action.lower() for action in report.actions}
    if actions and actions <= {"delayed"}:
        return AutoSubmitted(AutoKind.DELAYED, f"{reason}: Action delayed", report.recipients)
    if actions and actions <= {"delivered", "relayed", "expanded"}:
        # A success report ("your mail arrived"): machine mail, but nothing failed.
        return AutoSubmitted(AutoKind.AUTO_REPLY, f"{reason}: Action {'/'.join(sorted(actions))}")
    suffix = f": Action {'/'.join(sorted(actions))}" if actions else ""
    return AutoSubmitted(AutoKind.BOUNCE, reason + suffix, report.recipients)


def _from_sender(sender: str | None, subject: str, report: ReportInfo) -> AutoSubmitted | None:
    local = (sender or "").rsplit("@", 1)[0].strip().strip('"')
    if not _MACHINE_SENDERS.match(local):
        return None
    reason = f"sender {sender}"
    if _DELAY_SUBJECT.search(subject):
        return AutoSubmitted(AutoKind.DELAYED, reason, report.recipients)
    return AutoSubmitted(AutoKind.BOUNCE, reason, report.recipients)


def _from_subject(subject: str, report: ReportInfo) -> AutoSubmitted | None:
    if _DELAY_SUBJECT.search(subject):
        return AutoSubmitted(AutoKind.DELAYED, f"subject {subject[:60]!r}", report.recipients)
    if _BOUNCE_SUBJECT.search(subject):
        return AutoSubmitted(AutoKind.BOUNCE, f"subject {subject[:60]!r}", report.recipients)
    if _AUTO_REPLY_SUBJECT.search(subject):
        return AutoSubmitted(AutoKind.AUTO_REPLY, f"subject {subject[:60]!r}")
    return None


def _from_headers(headers: Mapping[str, str], report: ReportInfo) -> AutoSubmitted | None:
    failed = headers.get("x-failed-recipients", "").strip()
    if failed:
        recipients = report.recipients or tuple(r.strip() for r in failed.split(",") if r.strip())
        return AutoSubmitted(AutoKind.BOUNCE, "X-Failed-Recipients header", recipients)
    auto_submitted = headers.get("auto-submitted", "").strip().lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return AutoSubmitted(AutoKind.AUTO_REPLY, f"Auto-Submitted: {auto_submitted[:40]}")
    for name in ("x-autoreply", "x-autorespond", "x-autogenerated", "x-auto-reply"):
        value = headers.get(name, "").strip()
        if value and value.lower() not in ("no", "false", "0"):
            return AutoSubmitted(AutoKind.AUTO_REPLY, f"{name}: {value[:40]}")
    return None


def _from_precedence(headers: Mapping[str, str]) -> AutoSubmitted | None:
    precedence = headers.get("precedence", "").strip().lower()
    if precedence in ("bulk", "junk"):
        return AutoSubmitted(AutoKind.BULK, f"Precedence: {precedence}")
    if precedence == "list":
        return AutoSubmitted(AutoKind.LIST, "Precedence: list")
    if headers.get("list-id"):
        return AutoSubmitted(AutoKind.LIST, "List-Id header")
    return None
