"""Attachment rules at the edge: JPG, PNG, PDF only, ≤ 10 MB, images ≤ 50 million pixels,
judged by content."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from kefu.errors import AttachmentRejected
from kefu.lib.filetypes import Problem, Verdict, check_file


def rejection_message(verdict: Verdict, filename: str, size: int) -> str:
    limit_mb = settings.KEFU_ATTACHMENT_MAX_BYTES // (1024 * 1024)
    messages = {
        Problem.EMPTY: _("“%(name)s” is empty."),
        Problem.TOO_LARGE: _("“%(name)s” is %(size).1f MB; files may be at most %(limit)d MB."),
        Problem.UNSUPPORTED: _("“%(name)s” is not a JPG, PNG or PDF file (checked by content)."),
        Problem.NAME_MISMATCH: _(
            "“%(name)s” is named %(claimed)s but its content is %(kind)s; "
            "please send it with its real file type."
        ),
        Problem.CORRUPT: _("“%(name)s” is damaged and cannot be opened."),
        Problem.TOO_MANY_PIXELS: _(
            "“%(name)s” is %(width)d×%(height)d pixels; images may have at most "
            "%(megapixels)d million pixels."
        ),
    }
    assert verdict.problem is not None
    return str(messages[verdict.problem]) % {
        "name": filename,
        "size": size / (1024 * 1024),
        "limit": limit_mb,
        "claimed": verdict.claimed,
        "kind": (verdict.kind or "").upper(),
        "width": verdict.dimensions[0],
        "height": verdict.dimensions[1],
        "megapixels": settings.KEFU_IMAGE_MAX_PIXELS // 1_000_000,
    }


def validate_attachment(filename: str, data: bytes) -> Verdict:
    verdict = check_file(
        filename, data, settings.KEFU_ATTACHMENT_MAX_BYTES, settings.KEFU_IMAGE_MAX_PIXELS
    )
    if not verdict.ok:
        raise AttachmentRejected(rejection_message(verdict, filename, len(data)), field="file")
    return verdict


def read_upload(filename: str, upload: UploadedFile) -> bytes:
    """Read an uploaded file, refusing an oversize one before loading it into memory."""
    if upload.size and upload.size > settings.KEFU_ATTACHMENT_MAX_BYTES:
        verdict = Verdict(None, Problem.TOO_LARGE)
        raise AttachmentRejected(rejection_message(verdict, filename, upload.size), field="file")
    return upload.read()
