"""The front matter of the shipped knowledge-base article files (pure: no Django).

Grammar (kefu/knowledge/articles/README.md): a block fenced by two ``---`` lines holding exactly
the keys ``slug``, ``title``, ``category``, ``keywords`` in that order, one ``key: value`` per
line; values are plain (a strict subset of YAML: no quoting, no ``: `` or `` #``, no leading
YAML indicator); ``keywords`` is ``[a, b, c]``. The rest of the file is the Markdown body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FRONT_MATTER_KEYS = ("slug", "title", "category", "keywords")
FENCE = "---"
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Characters that would make a plain value mean something else to a YAML parser.
YAML_INDICATOR_START = tuple("'\"&*!|>%@`{[")
_KEYWORD_FORBIDDEN = frozenset("[]{}")


class FrontMatterError(ValueError):
    """A file that breaks the grammar; the message names the file and the problem."""


@dataclass(frozen=True)
class ArticleFile:
    """One parsed article file. ``meta`` keeps the keys in file order (keywords as a list)."""

    meta: dict[str, str | list[str]]
    body: str

    @property
    def slug(self) -> str:
        return str(self.meta["slug"])

    @property
    def title(self) -> str:
        return str(self.meta["title"])

    @property
    def category(self) -> str:
        return str(self.meta["category"])

    @property
    def keywords(self) -> list[str]:
        keywords = self.meta["keywords"]
        return list(keywords) if isinstance(keywords, list) else [keywords]


def parse(text: str, source: str = "<text>") -> ArticleFile:
    """Split ``text`` into front matter and body, enforcing the grammar."""
    lines = text.split("\n")
    if not lines or lines[0] != FENCE or FENCE not in lines[1:]:
        raise FrontMatterError(f"{source}: front matter must be fenced by '---'")
    end = lines.index(FENCE, 1)
    meta: dict[str, str | list[str]] = {}
    for line in lines[1:end]:
        key, sep, value = line.partition(": ")
        if not sep or key not in FRONT_MATTER_KEYS:
            raise FrontMatterError(f"{source}: bad front-matter line {line!r}")
        if key in meta:
            raise FrontMatterError(f"{source}: duplicate key {key}")
        meta[key] = parse_keywords(value, source) if key == "keywords" else plain(value, source)
    if tuple(meta) != FRONT_MATTER_KEYS:
        raise FrontMatterError(f"{source}: keys must be {', '.join(FRONT_MATTER_KEYS)} in order")
    return ArticleFile(meta, "\n".join(lines[end + 1 :]))


def plain(value: str, source: str = "<text>") -> str:
    """A plain scalar: non-empty, unpadded, and read the same by YAML as literally."""
    if not value or value.strip() != value:
        raise FrontMatterError(f"{source}: empty or padded value {value!r}")
    if ": " in value or " #" in value or value.startswith(YAML_INDICATOR_START):
        raise FrontMatterError(f"{source}: {value!r} is not a plain YAML value")
    return value


def parse_keywords(value: str, source: str = "<text>") -> list[str]:
    if not (value.startswith("[") and value.endswith("]")):
        raise FrontMatterError(f"{source}: keywords must be written [a, b, c]")
    items = [item.strip() for item in value[1:-1].split(",")]
    for item in items:
        if not item or set(item) & _KEYWORD_FORBIDDEN:
            raise FrontMatterError(f"{source}: bad keyword {item!r}")
        plain(item, source)
    return items


def read(path: Path) -> ArticleFile:
    """Parse one article file and check that its slug is well formed and names the file."""
    article = parse(path.read_text(encoding="utf-8"), str(path))
    if not SLUG_RE.match(article.slug):
        raise FrontMatterError(f"{path}: bad slug {article.slug!r}")
    if article.slug != path.stem:
        raise FrontMatterError(f"{path}: slug {article.slug!r} must equal the file name")
    return article


def read_directory(root: Path, languages: tuple[str, ...]) -> list[tuple[str, ArticleFile]]:
    """Every ``<root>/<language>/<slug>.md``, parsed, as (language, article), sorted by path."""
    return [
        (language, read(path))
        for language in languages
        for path in sorted((root / language).glob("*.md"))
    ]
