"""Charset handling for inbound mail: label normalisation, lenient decoding, mojibake repair.

Real-world Chinese mail lies about its charset all the time: GB2312 labels on GBK or UTF-8 bytes,
``us-ascii`` on Big5, Big5 that was read as Latin-1 and saved again as UTF-8.  Every function
here is total: it always returns text, and says which codec produced it.

The choice between candidate codecs is made by a plausibility score over the decoded characters
(see ``_char_score``): common Hanzi of either script score high, fragments that only appear in
mojibake (replacement characters, private-use code points, rare extension ideographs, Latin-1
pairs like ``Ã©``) score low.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Supersets first: a GB2312 label on GBK bytes is the norm, not the exception.
_ALIAS_GROUPS = {
    "gb18030": "gb2312 gbk cp936 x-gbk euc-cn x-euc-cn gb_2312-80 gb_2312 csgb2312 chinese ms936 "
    "windows-936 gb18030 gb-18030",
    "big5hkscs": "big5 big-5 x-big5 cn-big5 csbig5 big5-hkscs big5hkscs x-x-big5",
    "cp949": "ks_c_5601-1987 ks_c_5601 ks_c_5601-1989 ksc5601 ksc_5601 euc-kr korean "
    "csksc56011987 windows-949 cp949",
    "iso2022_jp_2": "iso-2022-jp csiso2022jp iso-2022-jp-1 iso-2022-jp-2",
    "cp932": "shift_jis shift-jis sjis x-sjis ms_kanji csshiftjis windows-31j cp932",
    "cp1252": "iso-8859-1 iso_8859-1 iso8859-1 latin1 latin-1 l1 cp819 windows-1252 cp1252",
    "cp874": "windows-874 tis-620 iso-8859-11",
    "utf-8": "utf8 utf-8 unicode-1-1-utf-8 x-unicode20utf8",
}
_ALIASES = {label: codec for codec, labels in _ALIAS_GROUPS.items() for label in labels.split()}
# Labels that promise nothing: decode by detection instead.
_UNKNOWN_LABELS = frozenset(
    ("", "x-unknown", "unknown", "unknown-8bit", "x-user-defined", "default", "charset", "none",
     "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us", "646")
)  # fmt: skip
# Codecs that are not character sets, or that would turn escapes in the data into text.
_REFUSED_CODECS = frozenset(
    ("unicode_escape", "raw_unicode_escape", "undefined", "idna", "punycode", "mbcs", "oem",
     "palmos", "unicode_internal")
)  # fmt: skip
# Codecs whose byte streams are pure ASCII, so ASCII input must still go through them.
_SEVEN_BIT_PREFIXES = ("iso2022", "utf_7", "hz", "utf_16", "utf_32")
_MULTIBYTE_PREFIXES = ("utf", "gb", "big5", "cp9", "euc", "iso2022", "shift_jis", "hz", "johab")
_DETECTION_ORDER = ("utf-8", "gb18030", "big5hkscs")
_LAST_RESORT = "cp1252"
_SCORE_SAMPLE = 1000  # characters enough to tell mojibake from text
_UTF8_REPLACEMENT = b"\xef\xbf\xbd"
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Vendor-decorated labels such as "utf-8-prunus" still name a real charset at the front.
_KNOWN_PREFIX = re.compile(
    r"^(utf-8|utf8|gb2312|gbk|gb18030|big5|euc-kr|euc-jp|shift_jis|iso-8859-\d+|windows-125\d)[-_.]"
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]{1,40})""", re.IGNORECASE
)


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the codec that produced it, and a note when that was not the label."""

    text: str
    charset: str
    note: str | None = None


def normalize_charset(label: str | None) -> str | None:
    """Map a MIME charset label to a Python codec name we trust, or None when unusable."""
    if not label:
        return None
    key = label.strip().strip("\"'").strip().lower()
    if key in _UNKNOWN_LABELS:
        return None
    if key in _ALIASES:
        return _ALIASES[key]
    try:
        info = codecs.lookup(key)
    except (LookupError, ValueError):
        prefix = _KNOWN_PREFIX.match(key)
        return normalize_charset(prefix.group(1)) if prefix else None
    # zlib, base64, rot13 ... are codecs but not character sets.
    is_text = getattr(info, "_is_text_encoding", True)
    if not is_text or info.name.replace("-", "_") in _REFUSED_CODECS:
        return None
    return _ALIASES.get(info.name, info.name)


def sniff_html_charset(data: bytes) -> str | None:
    """The charset named by an HTML ``<meta>`` tag near the start of the document, if any."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def decode_bytes(
    data: bytes, declared: str | None, *, hint: str | None = None, html: bool = False
) -> Decoded:
    """Decode ``data`` using the declared charset when it fits, else the most plausible one.

    ``hint`` is a charset seen elsewhere in the same message (used for raw 8-bit headers);
    ``html`` enables the ``<meta charset>`` lookup when the label is missing or unusable.
    """
    codec = normalize_charset(declared)
    if html and codec is None:
        codec = normalize_charset(sniff_html_charset(data))
    if not data:
        return Decoded("", codec or "ascii")
    if (codec is None or not codec.startswith(_SEVEN_BIT_PREFIXES)) and data.isascii():
        return Decoded(data.decode("ascii"), "ascii")
    best = _best_candidate(data, codec, normalize_charset(hint))
    if codec and best.charset != codec and best.note is None:
        return Decoded(best.text, best.charset, f"declared {declared}, decoded as {best.charset}")
    return best


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _is_single_byte(codec: str) -> bool:
    """True for codecs where any byte string decodes (Latin-1, cp1252, KOI8 ...)."""
    return not codec.startswith(_MULTIBYTE_PREFIXES)


def _candidate_names(codec: str | None, hint: str | None, declared_ok: bool) -> list[str]:
    """Which codecs may compete with the label.

    A multibyte label that decodes strictly is only second-guessed by UTF-8 (GB2312 labels on
    UTF-8 bytes are common); single-byte labels accept any bytes, so everything competes.
    """
    names: tuple[str | None, ...]
    if codec is not None and declared_ok and not _is_single_byte(codec):
        names = (codec, "utf-8")
    else:
        names = (codec, hint, *_DETECTION_ORDER, _LAST_RESORT)
    return [name for name in dict.fromkeys(names) if name]


def _best_candidate(data: bytes, codec: str | None, hint: str | None) -> Decoded:
    """Score the interpretations that decode ``data`` strictly; fall back to lenient decoding."""
    if _UTF8_REPLACEMENT in data and (damaged := _strict(data, "utf-8")) is not None:
        # EF BF BD *is* UTF-8's replacement character (read as GBK it gives the infamous
        # 锟斤拷): the text was already damaged as UTF-8 upstream, not mislabelled.
        return Decoded(damaged, "utf-8", "text already contained replacement characters")
    declared_text = _strict(data, codec) if codec else None
    if declared_text is None and codec and codec.startswith(("utf-16", "utf-32")):
        # Wide encodings are never mislabelled 8-bit text; a failure is a damaged fragment.
        return Decoded(data.decode(codec, errors="replace"), codec, f"lossy decoding as {codec}")
    scored: list[tuple[float, int, Decoded]] = []
    for rank, name in enumerate(_candidate_names(codec, hint, declared_text is not None)):
        text = declared_text if name == codec else _strict(data, name)
        if text is None:
            continue
        decoded = _maybe_repair(Decoded(text, name))
        scored.append((_candidate_score(decoded, codec, hint), -rank, decoded))
    if not scored:
        return _lenient(data, codec)
    return max(scored, key=lambda item: item[:2])[2]


def _candidate_score(decoded: Decoded, codec: str | None, hint: str | None) -> float:
    score = plausibility(decoded.text)
    if decoded.charset == codec:
        score += 0.5
    elif decoded.charset == hint:
        score += 0.25
    if decoded.charset == _LAST_RESORT and codec != _LAST_RESORT:
        score -= 0.25
    if decoded.charset == "utf-8":
        # Several multibyte sequences that all happen to be valid UTF-8 are no accident.
        score += 1.0 if _non_ascii_count(decoded.text) >= 4 else 0.5
    return score


def _non_ascii_count(text: str) -> int:
    """Characters from U+0080 on: what an ASCII encoding drops (counted in C, not per character
    in Python: a body can be 100 KB)."""
    return len(text) - len(text.encode("ascii", "ignore"))


def _lenient(data: bytes, codec: str | None) -> Decoded:
    """Nothing decodes cleanly: accept replacement characters from the least bad codec."""
    scored: list[tuple[float, str, str]] = []
    for name in dict.fromkeys((codec, *_DETECTION_ORDER)):
        if name is None:
            continue
        try:
            text = data.decode(name, errors="replace")
        except LookupError:
            continue
        scored.append((plausibility(text), name, text))
    latin = data.decode("latin-1")
    scored.append((plausibility(latin) - 0.25, "latin-1", latin))
    _score, name, text = max(scored)
    return Decoded(text, name, f"lossy decoding as {name}")


# --- plausibility -------------------------------------------------------------------------------


def _build_common_hanzi() -> frozenset[str]:
    """GB2312 level 1 (3755 common simplified) plus Big5 level 1 (5401 common traditional)."""
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            chars.update(_strict(bytes((lead, trail)), "gb2312") or "")
    for lead in range(0xA4, 0xC7):
        for trail in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]:
            chars.update(_strict(bytes((lead, trail)), "big5") or "")
    return frozenset(chars)


_COMMON_HANZI = _build_common_hanzi()
_CP1252_SPECIALS = frozenset(bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore"))


@lru_cache(maxsize=65536)
def _char_score(char: str) -> float:
    if char in _COMMON_HANZI:
        return 3.0
    code = ord(char)
    if 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF or char in "“”‘’…—·":
        return 2.0
    if 0x3040 <= code <= 0x30FF or 0xAC00 <= code <= 0xD7A3:
        return 1.0
    if 0x4E00 <= code <= 0x9FFF:
        return 0.5
    if code == 0xFFFD or 0x80 <= code <= 0x9F or 0xE000 <= code <= 0xF8FF:
        return -3.0
    category = unicodedata.category(char)
    if category in ("Cn", "Co", "Cs", "Cc") or 0x3400 <= code <= 0x4DBF or code >= 0x20000:
        return -3.0
    if 0xF900 <= code <= 0xFAFF or 0x2500 <= code <= 0x259F:
        return -1.0
    return 1.0 if category.startswith("L") else 0.0


def _is_latin1_pair(previous: str, char: str) -> bool:
    """``Ã©``-style pairs: a UTF-8 lead byte followed by a continuation byte, read as cp1252."""
    return "\u00c2" <= previous <= "\u00ef" and (
        "\u0080" <= char <= "\u00bf" or char in _CP1252_SPECIALS
    )


def _is_hanzi(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def plausibility(text: str) -> float:
    """Average per-character score of the non-ASCII characters (ASCII-only text scores 1).

    Context matters too: a Hanzi glued to Latin letters (``caf茅``) is what UTF-8 accents look
    like when read as GBK, so it loses points.
    """
    total = 0.0
    count = 0
    for match in _NON_ASCII.finditer(text):
        index = match.start()
        char = text[index]
        previous = text[index - 1] if index else ""
        if _is_latin1_pair(previous, char):
            total -= 4.0
        else:
            total += _char_score(char)
            if _is_hanzi(char):
                following = text[index + 1 : index + 2]
                total -= 1.5 * sum(1 for c in (previous, following) if c.isascii() and c.isalpha())
        count += 1
        if count >= _SCORE_SAMPLE:
            break
    return total / count if count else 1.0


# --- double-encoding repair -------------------------------------------------------------------


def _maybe_repair(decoded: Decoded) -> Decoded:
    if decoded.charset != "utf-8":
        return decoded
    repaired = repair_double_encoding(decoded.text)
    if repaired is None:
        return decoded
    text, codec = repaired
    return Decoded(text, codec, f"repaired double encoding (utf-8 over latin-1 over {codec})")


def repair_double_encoding(text: str) -> tuple[str, str] | None:
    """Undo "CJK bytes read as Latin-1, saved as UTF-8", only when the result is clearly better.

    Bounded: only text made entirely of Latin-1 code points qualifies, only strict decodes count,
    and the repaired text must score as ordinary Chinese and beat the original clearly.
    """
    if _non_ascii_count(text) < 4 or max(text) > "\u00ff":  # (C loops: bodies are long)
        return None
    raw = text.encode("latin-1")
    original = plausibility(text)
    best: tuple[float, str, str] | None = None
    for codec in ("big5hkscs", "gb18030"):
        candidate = _strict(raw, codec)
        if candidate is None:
            continue
        score = plausibility(candidate)
        if score >= 2.0 and score > original + 1.0 and (best is None or score > best[0]):
            best = (score, candidate, codec)
    return (best[1], best[2]) if best else None
