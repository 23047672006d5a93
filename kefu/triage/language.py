"""Language detection for inbound messages: pure, fast, no model file.

Kefu serves Chinese and English, and its bot meets many more languages. Script ranges settle
most cases (Han, kana, Hangul, Cyrillic, Arabic, ...); Latin-script text defaults to English
unless the function words of another Latin-script language clearly dominate.
Codes are ISO 639-1; ``"und"`` (undetermined) when there is nothing to go on.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from kefu.lib.language import CODE_LIKE

UNDETERMINED = "und"

# Script → language for scripts that (for our purposes) name one language.
_SCRIPT_LANGUAGE = {
    "hangul": "ko",
    "thai": "th",
    "devanagari": "hi",
    "greek": "el",
    "hebrew": "he",
}

# (first, last, script) code point ranges of letters.
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x005A, "latin"),
    (0x0061, 0x007A, "latin"),
    (0x00C0, 0x00D6, "latin"),
    (0x00D8, 0x00F6, "latin"),
    (0x00F8, 0x024F, "latin"),
    (0x1E00, 0x1EFF, "latin"),
    (0x0370, 0x03FF, "greek"),
    (0x0400, 0x052F, "cyrillic"),
    (0x0590, 0x05FF, "hebrew"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0x0900, 0x097F, "devanagari"),
    (0x0E00, 0x0E7F, "thai"),
    (0x1100, 0x11FF, "hangul"),
    (0x3040, 0x309F, "kana"),
    (0x30A0, 0x30FF, "kana"),
    (0x31F0, 0x31FF, "kana"),
    (0x3130, 0x318F, "hangul"),
    (0x3400, 0x4DBF, "han"),
    (0x4E00, 0x9FFF, "han"),
    (0xAC00, 0xD7AF, "hangul"),
    (0xF900, 0xFAFF, "han"),
    (0xFF66, 0xFF9D, "kana"),
    (0x20000, 0x2FA1F, "han"),
)

# Letters that only one Cyrillic/Arabic-script language uses.
_CYRILLIC_CUES = {"uk": "іїєґ"}
_ARABIC_CUES = {"ur": "ٹڈڑںے", "fa": "پچژگکی"}  # Urdu first: it shares Persian's letters

# Frequent function words per Latin-script language; distinctive ones only.
_LATIN_WORD_LISTS = {
    "en": "the and is are my to of for with you your i we our it this that not have has was "
    "please order can will from what how why when",
    "es": "el los las una por para con pero está están mi pedido qué cómo gracias hola tengo "
    "necesito muy también",
    "fr": "le les une est pour avec mais je vous nous mon ma mes commande merci bonjour pas très "
    "aussi où",
    "de": "der die das und ist nicht ich sie wir mein meine bestellung danke bitte mit für "
    "auf noch",
    "pt": "não os uma para com mas está meu minha pedido obrigado olá você também isso ainda",
    "it": "il gli della sono non per con ma mio mia ordine grazie ciao anche perché ancora",
    "vi": "của và là không tôi đơn hàng được cho có này với một những cảm ơn",
    "tr": "ve bir bu için ile değil ben siparişim teşekkürler merhaba çok",
    "id": "dan yang tidak saya untuk dengan ini itu pesanan terima kasih sudah belum",
}
_LATIN_WORDS = {lang: frozenset(words.split()) for lang, words in _LATIN_WORD_LISTS.items()}

_WORD = re.compile(r"[^\W\d_]+")


MAX_CHARS = 600  # the opening of a message says which language it is in


def _script_pattern(script: str) -> re.Pattern[str]:
    ranges = "".join(f"{chr(first)}-{chr(last)}" for first, last, name in _RANGES if name == script)
    return re.compile(f"[{ranges}]+")


# Counting runs with one regex per script keeps the per-character loop in C.
_SCRIPT_RUNS = {script: _script_pattern(script) for script in dict.fromkeys(r[2] for r in _RANGES)}


def script_counts(text: str) -> Counter[str]:
    """How many letters of each script the text has, ignoring codes, URLs and addresses."""
    cleaned = CODE_LIKE.sub(" ", unicodedata.normalize("NFKC", text[:MAX_CHARS]))
    scripts = ("latin",) if cleaned.isascii() else tuple(_SCRIPT_RUNS)
    counts: Counter[str] = Counter()
    for script in scripts:
        letters = sum(map(len, _SCRIPT_RUNS[script].findall(cleaned)))
        if letters:
            counts[script] = letters
    return counts


def _latin_language(text: str) -> str:
    words = [word.lower() for word in _WORD.findall(text[:MAX_CHARS])]
    hits = {lang: sum(word in vocab for word in words) for lang, vocab in _LATIN_WORDS.items()}
    best = max(hits, key=lambda lang: hits[lang])
    # Another language must beat English clearly; short mixed texts stay "en".
    if best != "en" and hits[best] >= 2 and hits[best] > hits["en"]:
        return best
    return "en"


def _cue_language(text: str, default: str, cues: dict[str, str]) -> str:
    for lang, letters in cues.items():
        if any(letter in text for letter in letters):
            return lang
    return default


def detect_language(text: str) -> str:
    """Return "zh", "en", another ISO 639-1 code, or "und" for text without letters.

    Mixed Chinese/English goes to the majority, weighing a Han character like two Latin
    letters (a Han character carries about as much as a short English word does in letters).
    Any kana makes Han text Japanese.
    """
    counts = script_counts(text)
    if not counts:
        return UNDETERMINED
    if counts["kana"]:
        return "ja" if counts["kana"] + counts["han"] >= counts["latin"] / 2 else "en"
    weighted = Counter({script: n for script, n in counts.items() if script != "han"})
    weighted["han"] = counts["han"] * 2
    # Ties go to Han: the person chose to write Chinese at all.
    script = max(weighted, key=lambda name: (weighted[name], name == "han"))
    if script == "han":
        return "zh"
    if script == "latin":
        return _latin_language(text)
    if script == "cyrillic":  # Russian unless Ukrainian letters say otherwise
        return _cue_language(text, "ru", _CYRILLIC_CUES)
    if script == "arabic":  # Arabic unless Urdu or Persian letters say otherwise
        return _cue_language(text, "ar", _ARABIC_CUES)
    return _SCRIPT_LANGUAGE.get(script, UNDETERMINED)
