"""Which of the bot's 12 languages a visitor writes in (pure: no Django).

The bot answers from articles in the visitor's own language, so it must tell Spanish from
Portuguese and Italian in a one-line question. ``lingua-language-detector`` does that with
n-gram models shipped inside its wheel (nothing is downloaded at run time). The detector is
restricted to the 12 languages Kefu serves and built once per process on first use, with all
its models loaded then, so no visitor waits for a model later.

It runs in low-accuracy mode (trigram models only): 0.5 s and 22 MB to build, where
high-accuracy mode takes 13 s and 306 MB per process. On the 268 questions of bench/data
(zh, en and five added languages) low-accuracy mode alone missed 6, high-accuracy mode none.
Two of the misses were English questions taken for German ("can i reach your team on wechat"),
so a text whose words are mostly English function words is English; two Italian questions
taken for Spanish and Portuguese remain (266 of 268 right). A Han text without kana is Chinese.

Text that says too little (an order number, "ok", an emoji) or that the detector cannot tell
apart gets the caller's fallback: the language of the conversation or the page.
"""

from __future__ import annotations

import re
import threading
import unicodedata

from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

LANGUAGES = ("zh", "en", "es", "ru", "pt", "fr", "ar", "ko", "ja", "de", "it", "tr")
MIN_LETTERS = 4  # fewer letters than this say nothing about a language ("ok", "hi")
MIN_CONFIDENCE = 0.4  # below this, the detector's best guess is a guess
MAX_CHARS = 300  # the opening of a message says which language it is in
# Ids, codes, URLs and addresses are not words of any language. ASCII-only classes keep the
# scan linear on long Chinese runs, which have no spaces to stop a backtracking \S*.
CODE_LIKE = re.compile(
    r"https?://\S+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+|[A-Za-z0-9_#./:-]*\d[A-Za-z0-9_#./:-]*"
)
_ENGLISH = (
    "a an the is are was be do does did can could will would i you we it my your our to of "
    "in on at by for with from or and not no there this that what how why when where per"
)
_ENGLISH_FUNCTION_WORDS = frozenset(_ENGLISH.split())
ENGLISH_SHARE = 0.4  # a text this share of whose words are English function words is English

_lock = threading.Lock()
_detector: LanguageDetector | None = None


def detector() -> LanguageDetector:
    """The process's detector, built on first use; threads asking at once build it once."""
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                codes = [getattr(IsoCode639_1, code.upper()) for code in LANGUAGES]
                _detector = (
                    LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
                    .with_low_accuracy_mode()
                    .with_preloaded_language_models()
                    .build()
                )
    return _detector


def letters(text: str) -> str:
    """The text's letters and the spaces between words, codes and URLs removed."""
    cleaned = CODE_LIKE.sub(" ", unicodedata.normalize("NFKC", text[:MAX_CHARS]))
    return " ".join("".join(c if c.isalpha() else " " for c in cleaned).split())


def _letter_count(text: str) -> int:
    return sum(1 for c in text if c.isalpha())


def _is_han(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"


def _is_kana(c: str) -> bool:
    return "\u3040" <= c <= "\u30ff"


def _mostly_english(words: str) -> bool:
    split = words.lower().split()
    english = sum(word in _ENGLISH_FUNCTION_WORDS for word in split)
    return english >= 2 and english >= ENGLISH_SHARE * len(split)


def detect(text: str, fallback: str | None = None) -> str | None:
    """One of ``LANGUAGES``, or ``fallback`` when the text is too short or ambiguous.

    Two Han characters are a Chinese question ("退款"); other scripts need ``MIN_LETTERS``.
    """
    words = letters(text)
    han = sum(1 for c in words if _is_han(c))
    if _letter_count(words) < MIN_LETTERS and han < 2:
        return fallback
    if han and han * 2 >= _letter_count(words) and not any(_is_kana(c) for c in words):
        return "zh"
    if _mostly_english(words):
        return "en"
    values = detector().compute_language_confidence_values(words)
    if not values or values[0].value < MIN_CONFIDENCE:
        return fallback
    code = values[0].language.iso_code_639_1.name.lower()
    return code if code in LANGUAGES else fallback
