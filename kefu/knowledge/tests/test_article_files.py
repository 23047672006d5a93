"""The shipped knowledge-base articles and the KB benchmark questions are well formed.

Pure file checks (no Django, no database) of the format described in
kefu/knowledge/articles/README.md.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from kefu.knowledge import frontmatter

REPO = Path(__file__).resolve().parents[3]
ARTICLES = REPO / "kefu" / "knowledge" / "articles"
QUESTIONS = REPO / "bench" / "data" / "kb_questions.csv"
LANGS = ("en", "zh")
# The ten languages with only the most-asked articles, and those articles' slugs.
OTHER_LANGS = ("es", "ru", "pt", "fr", "ar", "ko", "ja", "de", "it", "tr")
TRANSLATED_SLUGS = frozenset(
    {
        "tracking-no-updates", "refund-how-to-request", "returns-how-to", "payment-card-declined",
        "invoice-correction", "login-account-locked", "merchant-deposit", "customs-duties-taxes",
        "dispute-open", "shipping-times", "order-modify-address", "service-hours-channels",
    }
)  # fmt: skip
MIN_QUESTIONS_PER_OTHER_LANG = 8

# Mirrors the taxonomy codes in DESIGN.md; the seeded categories must use the same codes.
CATEGORY_CODES = frozenset(
    {
        "account_access",
        "order_trade",
        "payment_billing",
        "shipment_logistics",
        "after_sales",
        "product_merchant",
        "integration_tech",
        "other",
    }
)
MIN_ARTICLES_PER_LANG = 32
MIN_QUESTIONS_PER_LANG = 60
BODY_LENGTH = {"en": (120, 400), "zh": (200, 800), "ja": (200, 900)}
OTHER_BODY_WORDS = (100, 400)

CJK_RE = re.compile(r"[\u3400-\u9fff]")
# The script each language's titles are written in (Latin for the rest).
SCRIPT_RE = {
    "zh": CJK_RE,
    "ja": re.compile(r"[\u3040-\u30ff]"),
    "ko": re.compile(r"[\uac00-\ud7af]"),
    "ar": re.compile(r"[\u0600-\u06ff]"),
    "ru": re.compile(r"[\u0400-\u04ff]"),
}
LATIN_LETTER_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")
LATIN_WORD_RE = re.compile(r"[A-Za-z0-9]+")
HTML_TAG_RE = re.compile(r"</?[A-Za-z][^>]*>")


@dataclass(frozen=True)
class Article:
    lang: str
    path: Path
    meta: dict[str, str | list[str]]
    body: str


def parse_article(path: Path) -> Article:
    """Split a file into front matter and body with the loader's parser (the README grammar)."""
    try:
        parsed = frontmatter.parse(path.read_text(encoding="utf-8"), str(path))
    except frontmatter.FrontMatterError as error:
        pytest.fail(str(error))
    return Article(path.parent.name, path, parsed.meta, parsed.body)


ARTICLE_PATHS = [
    p for lang in (*LANGS, *OTHER_LANGS) for p in sorted((ARTICLES / lang).glob("*.md"))
]


@functools.cache
def all_articles() -> list[Article]:
    return [parse_article(p) for p in ARTICLE_PATHS]


def slugs(lang: str) -> set[str]:
    return {str(a.meta["slug"]) for a in all_articles() if a.lang == lang}


def body_length(lang: str, body: str) -> int:
    """Chinese: CJK characters plus Latin words. Japanese: letters and digits (kana, kanji,
    Latin), without punctuation or Markdown. Other languages: words."""
    if lang == "zh":
        return len(CJK_RE.findall(body)) + len(LATIN_WORD_RE.findall(body))
    if lang == "ja":
        return sum(c.isalnum() for c in body)
    return len(body.split())


def written_in(lang: str, text: str) -> bool:
    """Whether ``text`` is in ``lang``'s script: Han for Chinese only, kana for Japanese, Hangul,
    Arabic, Cyrillic, and Latin letters without Han for English and the Latin languages."""
    if lang in SCRIPT_RE:
        return bool(SCRIPT_RE[lang].search(text))
    return bool(LATIN_LETTER_RE.search(text)) and not CJK_RE.search(text)


def path_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("path", ARTICLE_PATHS, ids=path_id)
def test_front_matter_is_valid(path: Path) -> None:
    article = parse_article(path)
    slug, title, category = (article.meta[k] for k in ("slug", "title", "category"))
    assert isinstance(slug, str) and frontmatter.SLUG_RE.match(slug), f"bad slug {slug!r}"
    assert slug == article.path.stem, "slug must equal the file name"
    assert category in CATEGORY_CODES, f"{category!r} is not a taxonomy code"
    assert len(article.meta["keywords"]) >= 3, "give customers' synonyms as keywords"
    assert written_in(article.lang, str(title)), "title in the wrong language"


@pytest.mark.parametrize("path", ARTICLE_PATHS, ids=path_id)
def test_body_is_markdown_of_the_right_length(path: Path) -> None:
    article = parse_article(path)
    low, high = BODY_LENGTH.get(article.lang, OTHER_BODY_WORDS)
    assert low <= body_length(article.lang, article.body) <= high
    assert not HTML_TAG_RE.search(article.body), "bodies are Markdown without HTML"
    assert not article.body.lstrip().startswith("# "), "the title is the only level-1 heading"


def test_every_slug_has_both_languages_with_the_same_category() -> None:
    assert slugs("en") == slugs("zh")
    assert len(slugs("en")) >= MIN_ARTICLES_PER_LANG
    category = {(a.lang, a.meta["slug"]): a.meta["category"] for a in all_articles()}
    mismatched = [s for s in slugs("en") if category[("en", s)] != category[("zh", s)]]
    assert not mismatched, f"categories differ between languages: {mismatched}"


@pytest.mark.parametrize("lang", OTHER_LANGS)
def test_each_other_language_has_the_most_asked_articles_with_the_english_categories(
    lang: str,
) -> None:
    if not (ARTICLES / lang).is_dir():
        pytest.skip(f"no {lang} articles yet")
    assert slugs(lang) == TRANSLATED_SLUGS
    category = {(a.lang, a.meta["slug"]): a.meta["category"] for a in all_articles()}
    mismatched = [s for s in slugs(lang) if category[(lang, s)] != category.get(("en", s))]
    assert not mismatched, f"categories differ from English: {mismatched}"


def test_titles_are_unique_per_language() -> None:
    for lang in (*LANGS, *OTHER_LANGS):
        titles = [a.meta["title"] for a in all_articles() if a.lang == lang]
        assert len(titles) == len(set(titles)), f"duplicate {lang} titles"


@functools.cache
def questions() -> list[dict[str, str]]:
    with QUESTIONS.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["question", "lang", "expected_slug"]
        return list(reader)


def test_questions_reference_existing_articles() -> None:
    for row in questions():
        assert row["lang"] in LANGS, row
        assert row["expected_slug"] in slugs(row["lang"]), row


def test_questions_cover_every_article_in_both_languages() -> None:
    for lang in LANGS:
        rows = [r for r in questions() if r["lang"] == lang]
        assert len(rows) >= MIN_QUESTIONS_PER_LANG, f"too few {lang} questions"
        missing = slugs(lang) - {r["expected_slug"] for r in rows}
        assert not missing, f"{lang} articles without a question: {sorted(missing)}"


def test_questions_are_unique_and_in_their_language() -> None:
    seen = [normalise(r["question"]) for r in questions()]
    assert len(seen) == len(set(seen)), "duplicate questions"
    for row in questions():
        has_cjk = bool(CJK_RE.search(row["question"]))
        assert has_cjk == (row["lang"] == "zh"), row


@pytest.mark.parametrize("lang", OTHER_LANGS)
def test_each_other_language_has_questions_on_its_articles(lang: str) -> None:
    path = QUESTIONS.with_name(f"kb_questions_{lang}.csv")
    if not (ARTICLES / lang).is_dir() and not path.exists():
        pytest.skip(f"no {lang} articles or questions yet")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["question", "lang", "expected_slug"]
        rows = list(reader)
    assert len(rows) >= MIN_QUESTIONS_PER_OTHER_LANG
    for row in rows:
        assert row["lang"] == lang, row
        assert row["expected_slug"] in slugs(lang), row
        assert written_in(lang, row["question"]), row


def normalise(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def shared_runs(question: str, title: str, lang: str) -> set[str]:
    """Runs of 3 English words, or 5 Chinese characters, that the question copies from the title."""
    if lang == "en":
        q, t = normalise(question).split(), normalise(title).split()
        size, join = 3, " ".join
    else:
        q, t = list(normalise(question).replace(" ", "")), list(normalise(title).replace(" ", ""))
        size, join = 5, "".join
    grams = {join(q[i : i + size]) for i in range(len(q) - size + 1)}
    return grams & {join(t[i : i + size]) for i in range(len(t) - size + 1)}


def test_questions_do_not_copy_the_title() -> None:
    titles = {(a.lang, a.meta["slug"]): str(a.meta["title"]) for a in all_articles()}
    copies = []
    for row in questions():
        title = titles.get((row["lang"], row["expected_slug"]), "")  # unknown slugs: see above
        if shared_runs(row["question"], title, row["lang"]):
            copies.append((row["question"], title))
    assert not copies, f"questions reuse their article's title wording: {copies}"
