"""What a file really is, judged by its bytes: the attachment rules (JPG, PNG, PDF, ≤ 10 MB,
images of at most ``max_pixels``).

Pure: returns a verdict with a reason code; the Django layer turns codes into translated text.
An image's size is read from its header before anything is decoded: a 30000×30000 PNG is a few
hundred kilobytes on the wire and gigabytes once inflated (a decompression bomb).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from enum import StrEnum

from PIL import Image, JpegImagePlugin, PngImagePlugin, UnidentifiedImageError

# 50 million pixels: a 600-dpi A4 scan (35 MP) or a phone's full-size photo fits; at 4 bytes a
# pixel that is 200 MB decoded, the most one attachment may cost to look at.
DEFAULT_MAX_PIXELS = 50_000_000


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
    TOO_MANY_PIXELS = "too_many_pixels"


@dataclass(frozen=True)
class Verdict:
    kind: Kind | None
    problem: Problem | None = None
    # The type a mismatched name claims, e.g. ".jpg", for the error message.
    claimed: str = ""
    # Width and height of an image with too many pixels, for the error message.
    dimensions: tuple[int, int] = (0, 0)

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


_HEADER_READERS = {Kind.JPEG: JpegImagePlugin.JpegImageFile, Kind.PNG: PngImagePlugin.PngImageFile}


def image_dimensions(kind: Kind, data: bytes) -> tuple[int, int] | None:
    """Width and height from the header alone (the format's reader, not ``Image.open``, whose
    bomb guard would raise before we could name the size); ``None`` when the header is broken."""
    try:
        with _HEADER_READERS[kind](io.BytesIO(data)) as image:
            return image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, IndexError, KeyError):
        return None


def _well_formed(kind: Kind, data: bytes) -> bool:
    if kind is Kind.PDF:
        # Incrementally updated PDFs may carry trailing whitespace after the last %%EOF.
        return b"%%EOF" in data[-2048:]
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    return True


def _image_problem(kind: Kind, data: bytes, max_pixels: int) -> Verdict | None:
    if kind is Kind.PDF:
        return None
    dimensions = image_dimensions(kind, data)
    if dimensions is None:
        return Verdict(kind, Problem.CORRUPT)
    if dimensions[0] * dimensions[1] > max_pixels:
        return Verdict(kind, Problem.TOO_MANY_PIXELS, dimensions=dimensions)
    return None


def check_file(
    filename: str, data: bytes, max_bytes: int, max_pixels: int = DEFAULT_MAX_PIXELS
) -> Verdict:
    """Accept only real JPG/PNG/PDF files within the size limits whose name does not lie."""
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
    image_problem = _image_problem(kind, data, max_pixels)
    if image_problem is not None:
        return image_problem
    if not _well_formed(kind, data):
        return Verdict(kind, Problem.CORRUPT)
    return Verdict(kind)
