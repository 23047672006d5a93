"""Texts whose masked form and search tokens are pinned: every mail of the corpora (Kefu's
fixtures and the shared real-world set beside the repository, when present) as the pipeline
reads it, and the strings the masking, intake and search tests pass. A faster masking or
tokenising must give what these files recorded, byte for byte.

    .venv/bin/python -m kefu.lib.tests.known_texts   # record today's outputs (then review the diff)

The mail is keyed by ``set/file#field`` and its outputs kept as SHA-256 digests (the shared mail
is not copied into the repository); the test strings are kept whole with their outputs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path

from kefu.lib.html import html_to_text
from kefu.lib.masking import mask_sensitive
from kefu.lib.mime import NotAnEmailError, parse_email
from kefu.lib.quotes import split_reply
from kefu.search.tokens import document

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
OWN = HERE / "fixtures" / "emails"
# The shared mail beside the repository (CI, /work/main) or beside the folder of worktrees.
SHARED = next(
    (path for up in (ROOT.parent, ROOT.parent.parent)
     if (path := up / "shared" / "data" / "emails").is_dir()),
    ROOT.parent / "shared" / "data" / "emails",
)  # fmt: skip
MASKING = HERE / "fixtures" / "masking_known.json"
TOKENS = HERE / "fixtures" / "tokens_known.json"


SETS = {"own": OWN, "shared": SHARED}


def mail_texts() -> Iterator[tuple[str, str]]:
    """(``set/file#field``, text) for each text field of each mail: the whole text, its visible
    part, the subject and the HTML's text rendering."""
    for name, folder in SETS.items():
        for path in sorted(folder.glob("*.eml")) if folder.is_dir() else []:
            try:
                parsed = parse_email(path.read_bytes())
            except NotAnEmailError:
                continue
            key = f"{name}/{path.name}"
            yield f"{key}#whole", parsed.full_text()
            yield f"{key}#visible", split_reply(parsed.text)[0]
            yield f"{key}#subject", parsed.subject or ""
            if parsed.html:
                yield f"{key}#html", html_to_text(parsed.html)


def masked(text: str) -> list[object]:
    result = mask_sensitive(text)
    return [result.text, [str(kind) for kind in result.findings]]


def tokenised(text: str) -> str:
    return document([text])


def digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode()).hexdigest()


def record(path: Path, output: Callable[[str], object], strings: list[str]) -> None:
    known = {
        "mail": {key: digest(output(text)) for key, text in mail_texts()},
        "strings": [[text, output(text)] for text in strings],
    }
    path.write_text(json.dumps(known, ensure_ascii=False, indent=0, sort_keys=True) + "\n")


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def assert_mail_as_pinned(path: Path, output: Callable[[str], object]) -> None:
    """``output`` gives what was pinned for every pinned mail that is here (the shared set is
    absent from some checkouts; Kefu's own fixtures are always here)."""
    known = load(path)["mail"]
    pinned = {key: value for key, value in known.items() if _file(key).is_file()}
    assert pinned
    assert {key: digest(output(text)) for key, text in mail_texts() if key in pinned} == pinned


def _file(key: str) -> Path:
    name, _slash, rest = key.partition("/")
    return SETS[name] / rest.partition("#")[0]


if __name__ == "__main__":
    import sys

    # The strings the tests passed (recorded by a run of them), else the ones already pinned.
    seen = json.loads(Path(sys.argv[1]).read_text()) if len(sys.argv) > 1 else None
    for path, output, name in ((MASKING, masked, "mask"), (TOKENS, tokenised, "tokens")):
        strings = seen[name] if seen else [text for text, _out in load(path)["strings"]]
        record(path, output, sorted(set(strings)))
