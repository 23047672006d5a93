"""What a file really is, judged by its bytes: the attachment rules (JPG, PNG, PDF, ≤ 10 MB).

Pure: returns a verdict with a reason code; the Django layer turns codes into translated text.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from enum import StrEnum

from PIL import Image, UnidentifiedImageError


class Kind(StrEnum):
    JPEG = "jpeg"
    PNG = "png"
    PDF = "pdf"


MIME_TYPES = {Kind.JPEG: "image/jpeg", Kind.PNG: "image/png", Kind.PDF: "application/pdf"}
EXTENSIONS = {
    ".jpg": Kind.JPEG,
    ".jpeg": Kind.JPEG,
    ".jpe": Kind.JPEG,
    ".png": Kind.PNG,
    ".pdf": Kind.PDF,
}


class Problem(StrEnum):
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    UNSUPPORTED = "unsupported"
    NAME_MISMATCH = "name_mismatch"
    CORRUPT = "corrupt"


@dataclass(frozen=True)
class Verdict:
    kind: Kind | None
    problem: Problem | None = None
    # The type a mismatched name claims, e.g. ".jpg", for the error message.
    claimed: str = ""

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def mime_type(self) -> str:
        return MIME_TYPES[self.kind] if self.kind else "application/octet-stream"


def sniff(data: bytes) -> Kind | None:
    if data.startswith(b"\xff\xd8\xff"):
        return Kind.JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Kind.PNG
    if data.startswith(b"%PDF-"):
        return Kind.PDF
    return None


def _well_formed(kind: Kind, data: bytes) -> bool:
    if kind is Kind.PDF:
        # Incrementally updated PDFs may carry trailing whitespace after the last %%EOF.
        return b"%%EOF" in data[-2048:]
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    return True


def check_file(filename: str, data: bytes, max_bytes: int) -> Verdict:
    """Accept only real JPG/PNG/PDF files within the size limit whose name does not lie."""
    if not data:
        return Verdict(None, Problem.EMPTY)
    if len(data) > max_bytes:
        return Verdict(sniff(data), Problem.TOO_LARGE)
    kind = sniff(data)
    if kind is None:
        return Verdict(None, Problem.UNSUPPORTED)
    extension = os.path.splitext(filename)[1].lower()
    if extension and EXTENSIONS.get(extension) is not kind:
        return Verdict(kind, Problem.NAME_MISMATCH, claimed=extension)
    if not _well_formed(kind, data):
        return Verdict(kind, Problem.CORRUPT)
    return Verdict(kind)
