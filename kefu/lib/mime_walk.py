"""Walking a parsed MIME tree: bodies, attachments, forwarded messages and report parts.

The walker is policy-agnostic (it works on ``policy.default`` and ``compat32`` messages alike)
and bounded: at most ``MAX_PARTS`` parts and ``MAX_DEPTH`` levels are visited, so a hostile
message cannot exhaust memory or the stack.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import quopri
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from email import policy
from email.message import Message
from email.parser import BytesParser

from kefu.lib.html import html_to_text, sanitize_html
from kefu.lib.mime_charset import decode_bytes
from kefu.lib.mime_headers import (
    Mailbox,
    decode_unstructured,
    header_param,
    parse_addresses,
    parse_date,
    parse_message_ids,
    raw_value,
)

MAX_PARTS = 500
MAX_DEPTH = 20
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# NUL and friends break PostgreSQL text columns and mean nothing to a reader.
_BODY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_KNOWN_TRANSFER_ENCODINGS = frozenset(
    {"", "7bit", "8bit", "binary", "base64", "quoted-printable", "x-uuencode", "uuencode",
     "x-uue", "uue"}
)  # fmt: skip
_REPORT_ONLY_TYPES = frozenset(
    {
        "text/rfc822-headers",
        "message/rfc822-headers",
        "message/delivery-status",
        "message/disposition-notification",
        "message/feedback-report",
    }
)
_ORIGINAL_RECIPIENT = re.compile(r"^original-recipient:\s*[^;\n]*;\s*<?([^\s<>]+)>?", re.I | re.M)
_FINAL_RECIPIENT = re.compile(r"^final-recipient:\s*[^;\n]*;\s*<?([^\s<>]+)>?", re.I | re.M)
_ACTION = re.compile(r"^action:\s*([a-z-]+)", re.I | re.M)


@dataclass
class Attachment:
    """A file carried by the mail.  ``forwarded_depth`` > 0: it came inside a forwarded mail."""

    filename: str
    content_type: str
    data: bytes
    inline: bool = False
    content_id: str | None = None
    forwarded_depth: int = 0

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class ForwardedMessage:
    """A message/rfc822 part: a forward-as-attachment, or the original returned in a report."""

    subject: str
    from_name: str
    from_address: str | None
    to: list[Mailbox]
    date: datetime | None
    message_id: str | None
    text: str
    html: str | None
    attachments: list[Attachment]
    depth: int
    returned: bool  # True when it is the original message quoted by a bounce/receipt report


@dataclass
class Body:
    texts: list[str] = field(default_factory=list)
    htmls: list[str] = field(default_factory=list)

    def extend(self, other: Body) -> None:
        self.texts.extend(other.texts)
        self.htmls.extend(other.htmls)


@dataclass(frozen=True)
class _Where:
    depth: int  # forward depth: 0 for the message itself
    nesting: int
    related: bool
    in_report: bool
    attachments: list[Attachment]


@dataclass
class ReportParts:
    report_type: str | None = None
    part_types: set[str] = field(default_factory=set)
    actions: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)


def render_body(body: Body) -> tuple[str, str | None, bool]:
    """(best plain text, sanitised HTML or None, whether the text was derived from the HTML)."""
    text = "\n\n".join(part.strip("\n") for part in body.texts if part.strip()).strip()
    joined_html = "\n".join(body.htmls)
    html = sanitize_html(joined_html) if body.htmls else None
    if text or not body.htmls:
        return text, html, False
    return html_to_text(joined_html), html, True


def content_type_of(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:  # a header the policy cannot parse means "unknown"
        raw = raw_value(part, "content-type") or ""
        value = raw.split(";", 1)[0].strip().lower()
        return value if "/" in value else "text/plain"


class Walker:
    """Collects the parts of one message tree; ``hint`` is the message's own charset label."""

    def __init__(self, hint: str | None) -> None:
        self.hint = hint
        self.defects: list[str] = []
        self.forwarded: list[ForwardedMessage] = []
        self.report = ReportParts()
        self.parts_seen = 0

    def walk_message(
        self, message: Message, depth: int = 0, *, returned: bool = False
    ) -> tuple[Body, list[Attachment]]:
        attachments: list[Attachment] = []
        where = _Where(
            depth=depth, nesting=0, related=False, in_report=returned, attachments=attachments
        )
        return self._part(message, where), attachments

    def _part(self, part: Message, where: _Where) -> Body:
        self.parts_seen += 1
        if self.parts_seen > MAX_PARTS or where.nesting > MAX_DEPTH:
            self._defect(f"MIME tree too large; parts beyond {MAX_PARTS}/{MAX_DEPTH} ignored")
            return Body()
        ctype = content_type_of(part)
        if where.depth == 0:
            self.report.part_types.add(ctype)
        if ctype.startswith("message/"):
            self._message_part(part, ctype, where)
            return Body()
        if part.is_multipart():
            return self._multipart(part, ctype, where)
        if ctype.startswith("multipart/"):
            return self._unsplit_multipart(part, ctype, where)
        return self._leaf(part, ctype, where)

    def _unsplit_multipart(self, part: Message, ctype: str, where: _Where) -> Body:
        """A multipart the parser could not split (no or wrong boundary): guess the boundary."""
        payload = _payload_bytes(part)
        first = next((line.strip() for line in payload.splitlines() if line.strip()), b"")
        if first.startswith(b"--") and len(first) > 2:
            self._defect(f"{ctype} without a usable boundary; boundary guessed from the body")
            head = b'Content-Type: %s; boundary="%s"\r\n\r\n' % (ctype.encode(), first[2:])
            rebuilt = BytesParser(policy=policy.compat32).parsebytes(head + payload)
            if rebuilt.is_multipart():
                return self._multipart(rebuilt, ctype, where)
        self._defect(f"{ctype} without a usable boundary; read as plain text")
        return Body(texts=[decode_bytes(payload, None, hint=self.hint).text])

    def _defect(self, text: str) -> None:
        if text not in self.defects:
            self.defects.append(text)

    def _children(self, part: Message) -> list[Message]:
        payload = part.get_payload()
        return (
            [child for child in payload if isinstance(child, Message)]
            if isinstance(payload, list)
            else []
        )

    def _multipart(self, part: Message, ctype: str, where: _Where) -> Body:
        children = self._children(part)
        inner = replace(where, nesting=where.nesting + 1, related=ctype == "multipart/related")
        if ctype == "multipart/alternative":
            return self._alternative(children, inner)
        if ctype == "multipart/report":
            if where.depth == 0:
                self.report.report_type = (
                    header_param(raw_value(part, "content-type"), "report-type") or ""
                ).lower() or None
            body = self._part(children[0], inner) if children else Body()
            for child in children[1:]:
                self._part(child, replace(inner, in_report=True))
            return body
        body = Body()
        for child in children:
            body.extend(self._part(child, inner))
        return body

    def _alternative(self, children: list[Message], where: _Where) -> Body:
        bodies = [self._part(child, where) for child in children]
        texts = next((body.texts for body in bodies if any(t.strip() for t in body.texts)), [])
        htmls = next((body.htmls for body in reversed(bodies) if body.htmls), [])
        return Body(list(texts), list(htmls))

    def _leaf(self, part: Message, ctype: str, where: _Where) -> Body:
        disposition = (raw_value(part, "content-disposition") or "").split(";", 1)[0]
        disposition = disposition.strip().lower()
        filename = self._filename(part)
        if ctype in _REPORT_ONLY_TYPES or (where.in_report and ctype.startswith("text/")):
            return Body()
        if ctype in ("text/plain", "text/html") and disposition != "attachment" and not filename:
            text = self._decode_text(part, ctype)
            return Body(htmls=[text]) if ctype == "text/html" else Body(texts=[text])
        self._attachment(part, ctype, filename, disposition, where)
        return Body()

    def _decode_text(self, part: Message, ctype: str) -> str:
        data = _payload_bytes(part)
        raw_type = raw_value(part, "content-type")
        charset = header_param(raw_type, "charset")
        decoded = decode_bytes(data, charset, hint=self.hint, html=ctype == "text/html")
        if decoded.note:
            self._defect(f"{ctype}: {decoded.note}")
        text = _BODY_CONTROL.sub("", decoded.text.replace("\r\n", "\n").replace("\r", "\n"))
        if ctype == "text/plain" and (header_param(raw_type, "format") or "").lower() == "flowed":
            delsp = (header_param(raw_type, "delsp") or "").lower() == "yes"
            text = unflow(text, delsp=delsp)
        return text

    def _filename(self, part: Message) -> str | None:
        name = header_param(raw_value(part, "content-disposition"), "filename", self.hint)
        name = name or header_param(raw_value(part, "content-type"), "name", self.hint)
        return safe_filename(name) if name else None

    def _attachment(
        self, part: Message, ctype: str, filename: str | None, disposition: str, where: _Where
    ) -> None:
        content_id = (raw_value(part, "content-id") or "").strip().strip("<>").strip() or None
        inline = disposition == "inline" or (
            not disposition and where.related and content_id is not None
        )
        number = len(where.attachments) + 1
        where.attachments.append(
            Attachment(
                filename=filename
                or f"attachment-{number}{mimetypes.guess_extension(ctype) or '.bin'}",
                content_type=ctype,
                data=_payload_bytes(part),
                inline=inline,
                content_id=content_id,
                forwarded_depth=where.depth,
            )
        )

    def _message_part(self, part: Message, ctype: str, where: _Where) -> None:
        if ctype == "message/delivery-status" and where.depth == 0:
            self._read_delivery_status(part)
        if ctype not in ("message/rfc822", "message/global"):
            return
        children = self._children(part)
        if not children:
            self._defect(f"{ctype} part without a parseable message")
            return
        self._forwarded(children[0], where)

    def _forwarded(self, inner: Message, where: _Where) -> None:
        depth = where.depth + 1
        if depth > MAX_DEPTH:
            self._defect("forwarded messages nested too deeply; inner ones ignored")
            return
        slot = len(self.forwarded)  # keep document order: outer forward before inner ones
        body, attachments = self.walk_message(inner, depth, returned=where.in_report)
        text, html, _from_html = render_body(body)
        sender = next(iter(parse_addresses(raw_value(inner, "from"), self.hint)), None)
        self.forwarded.insert(
            slot,
            ForwardedMessage(
                subject=decode_unstructured(raw_value(inner, "subject"), self.hint),
                from_name=sender.name if sender else "",
                from_address=sender.address if sender else None,
                to=parse_addresses(raw_value(inner, "to"), self.hint),
                date=parse_date(raw_value(inner, "date")),
                message_id=next(iter(parse_message_ids(raw_value(inner, "message-id"))), None),
                text=text,
                html=html,
                attachments=attachments,
                depth=depth,
                returned=where.in_report,
            ),
        )
        if not where.in_report:
            where.attachments.extend(attachments)

    def _read_delivery_status(self, part: Message) -> None:
        """Actions and recipients per DSN block; Original-Recipient (what we sent to) first."""
        payload = part.get_payload()
        if isinstance(payload, list):
            blocks = ["\n".join(f"{key}: {value}" for key, value in block.raw_items())
                      for block in payload if isinstance(block, Message)]  # fmt: skip
        else:
            blocks = re.split(r"\n\s*\n", decode_bytes(_payload_bytes(part), None).text)
        for block in blocks:
            self.report.actions.extend(action.lower() for action in _ACTION.findall(block))
            recipient = _ORIGINAL_RECIPIENT.search(block) or _FINAL_RECIPIENT.search(block)
            if recipient:
                self.report.recipients.append(recipient.group(1))


def _payload_bytes(part: Message) -> bytes:
    """The part's content with its transfer encoding undone, leniently."""
    try:
        data = part.get_payload(decode=True)
    except Exception:  # undecodable transfer encoding: keep the raw text
        data = None
    if not isinstance(data, bytes):
        raw = part.get_payload()
        return raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""
    encoding = (raw_value(part, "content-transfer-encoding") or "").strip().lower()
    if encoding not in _KNOWN_TRANSFER_ENCODINGS:  # the parser left these bytes undecoded
        if "base64" in encoding:
            return _lenient_base64(data)
        if "quoted" in encoding:
            return quopri.decodestring(data)
    return data


def _lenient_base64(data: bytes) -> bytes:
    cleaned = re.sub(rb"[^A-Za-z0-9+/]", b"", data)
    cleaned = cleaned[: len(cleaned) - len(cleaned) % 4]
    try:
        return base64.b64decode(cleaned)
    except binascii.Error:
        return data


def safe_filename(name: str) -> str | None:
    """The last path component, without control characters, at most 255 characters."""
    name = _CONTROL.sub("", name.replace("\\", "/")).rsplit("/", 1)[-1].strip().strip(".")
    if not name:
        return None
    if len(name) > 255:
        stem, dot, extension = name.rpartition(".")
        name = (
            (stem[: 254 - len(extension)] + dot + extension)
            if dot and len(extension) < 16
            else name[:255]
        )
    return name


def unflow(text: str, *, delsp: bool) -> str:
    """RFC 3676 format=flowed: join soft-broken lines (ending in a space) of equal quote depth."""
    out: list[str] = []
    pending = ""
    pending_depth = -1
    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        if pending and depth != pending_depth:
            out.append(pending)
            pending = ""
        body = line[depth:]
        if body.startswith(" "):
            body = body[1:]  # space-stuffing
        prefix = line[:depth] + (" " if depth else "")
        if body.endswith(" ") and body.rstrip() != "--":
            pending = (pending or prefix) + (body[:-1] if delsp else body)
            pending_depth = depth
            continue
        out.append((pending or prefix) + body)
        pending = ""
    if pending:
        out.append(pending)
    return "\n".join(out)
