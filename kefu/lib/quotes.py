"""Split a reply into what the customer just wrote and the quoted history / signature below it.

Only the visible part is meant for the ticket view; callers keep the full original.  The
splitter is line-based and recognises the attribution lines and header blocks of the mail
clients our customers use: Gmail (en/zh), Outlook (en/zh), QQ Mail, 163/126 webmail, Foxmail,
Apple Mail, plus ``>`` quoting, ``-- `` signature separators and mobile signatures.

It never returns an empty visible part for a non-empty text: when the whole message would be
cut (a bare forward, a message that starts with a quote), nothing is cut.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_LOOKAHEAD_LINES = 3  # attribution lines wrapped by the client span at most this many lines

_ATTRIBUTION = re.compile(
    r"^\s*(?:"
    r"在.{0,120}?[写寫]道\s*[:：]"  # Gmail zh / 163: 在 2025年11月7日 … 写道：
    r"|於.{0,120}?寫道\s*[:：]"
    r"|on\b.{0,200}?\bwrote\s*:"  # On Fri, Nov 7, 2025 at 10:00 AM X <x@y> wrote:
    r"|le\b.{0,200}?\ba\s+écrit\s*:"
    r"|am\b.{0,200}?\bschrieb\b.{0,80}:"
    r"|.{0,120}?于\s*\d{4}年\d{1,2}月\d{1,2}日.{0,60}?[写寫]道\s*[:：]"
    r")\s*$",
    re.IGNORECASE,
)
_MAY_START_ATTRIBUTION = re.compile(r"^\s*(?:在|於|on\b|le\b|am\b)|@|于", re.IGNORECASE)
_ORIGINAL_MESSAGE = re.compile(
    r"^\s*[-_=—]{2,}\s*(?:&nbsp;|\s)*(?:original\s+message|原始邮件|原始郵件|原邮件|原郵件"
    r"|reply\s+message|回复的邮件)(?:&nbsp;|\s)*[-_=—]{2,}\s*$",
    re.IGNORECASE,
)
_SEPARATOR_LINE = re.compile(r"^\s*(?:_{8,}|-{8,}|—{4,}|={8,})\s*$")
_HEADER_FIELD = re.compile(
    r"^\s*\**\s*(from|sent|date|to|cc|subject|发件人|發件人|寄件者|发送时间|發送時間|寄件日期"
    r"|日期|时间|時間|收件人|收件者|抄送|副本|主题|主題|主旨)\s*\**\s*[:：]",
    re.IGNORECASE,
)
_FROM_FIELD = re.compile(r"^\s*\**\s*(from|发件人|發件人|寄件者)\s*\**\s*[:：]", re.IGNORECASE)
_BLOCK_PROOF = re.compile(
    r"^\s*\**\s*(sent|subject|发送时间|發送時間|寄件日期|主题|主題|主旨)\s*\**\s*[:：]",
    re.IGNORECASE,
)
_SIGNATURE_SEPARATOR = re.compile(r"^(?:--|——)$")
_MOBILE_SIGNATURE = re.compile(
    r"^(?:"
    r"发自我的\s*(?:iPhone|iPad|Android|\S{0,12}(?:手机|平板|设备))"
    r"|發自我的\s*(?:iPhone|iPad|Android|\S{0,12}(?:手機|平板|裝置))"
    r"|来自我的\s*\S{0,12}(?:iPhone|iPad|手机|平板)"
    r"|从我的\s*\S{0,12}\s*发送|從我的\s*\S{0,12}\s*傳送"
    r"|发自\s*(?:网易邮箱大师|我的QQ邮箱|手机QQ邮箱|QQ邮箱|腾讯企业邮|\S{0,8}邮箱(?:大师)?)"
    r"|sent\s+from\s+my\s+\S+(?:\s+\S+){0,3}"
    r"|sent\s+from\s+(?:mail|outlook|yahoo\s+mail|gmail|the\s+\S+\s+app)\b.{0,40}"
    r"|get\s+outlook\s+for\s+\S+|sent\s+with\s+(?:proton\s*mail|spark)\b.{0,30}"
    r")\s*$",
    re.IGNORECASE,
)


class ReplySplit(NamedTuple):
    visible: str
    quoted: str


def split_reply(text: str) -> ReplySplit:
    """(visible, quoted): the new text of a reply, and everything from the first cut on."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = _find_cut(lines)
    if cut is None:
        return ReplySplit(_tidy(lines), "")
    visible = _tidy(lines[:cut])
    if not visible:
        return ReplySplit(_tidy(lines), "")
    return ReplySplit(visible, _tidy(lines[cut:]))


def _tidy(lines: list[str]) -> str:
    return "\n".join(line.rstrip() for line in lines).strip("\n").rstrip()


def _find_cut(lines: list[str]) -> int | None:
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if _is_cut_here(lines, index, stripped):
            return _include_separator_above(lines, index)
    return None


def _is_cut_here(lines: list[str], index: int, stripped: str) -> bool:
    if _is_signature_start(lines[index]):
        return True
    if _ORIGINAL_MESSAGE.match(stripped) or _starts_attribution(lines, index):
        return True
    if _FROM_FIELD.match(stripped) and _is_header_block(lines, index):
        return True
    return stripped.startswith(">") and _only_quotes_follow(lines, index)


def _is_signature_start(line: str) -> bool:
    return bool(_SIGNATURE_SEPARATOR.match(line.rstrip()) or _MOBILE_SIGNATURE.match(line.strip()))


def _starts_attribution(lines: list[str], index: int) -> bool:
    """An attribution line, possibly wrapped over a few lines by the sending client."""
    first = lines[index].strip()
    if _ATTRIBUTION.match(first):
        return True
    if not _MAY_START_ATTRIBUTION.search(first):
        return False  # do not let "收到" swallow the attribution line below it
    joined = first
    for line in lines[index + 1 : index + _LOOKAHEAD_LINES]:
        joined = f"{joined} {line.strip()}"
        if _ATTRIBUTION.match(joined):
            return True
    return False


def _is_header_block(lines: list[str], index: int) -> bool:
    """``From:``/``发件人：`` followed by other header fields, one of them mail-only.

    "From: Shenzhen / To: Los Angeles / Date: …" in a shipping question is not a quoted mail:
    a real header block also has Sent/Subject (发送时间/主题), or an address on the From line.
    """
    following = [line.strip() for line in lines[index + 1 : index + 8]]
    fields = [line for line in following if _HEADER_FIELD.match(line)]
    has_address = "@" in lines[index] or "<" in lines[index]
    return len(fields) >= 2 and (has_address or any(_BLOCK_PROOF.match(f) for f in fields))


def _only_quotes_follow(lines: list[str], index: int) -> bool:
    """A ``>`` block is history only when no unquoted answer follows it (no inline replies)."""
    for line in lines[index:]:
        stripped = line.strip()
        if stripped and not stripped.startswith(">"):
            return _is_signature_start(line)
    return True


def _include_separator_above(lines: list[str], index: int) -> int:
    """Outlook puts a ``________`` rule above its header block: cut there too."""
    above = index - 1
    while above >= 0 and not lines[above].strip():
        above -= 1
    if above >= 0 and (
        _SEPARATOR_LINE.match(lines[above]) or _ORIGINAL_MESSAGE.match(lines[above].strip())
    ):
        return above
    return index
