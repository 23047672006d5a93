"""Attachment downloads, only for those who may see the ticket (never a public media URL)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from kefu.accounts.access import viewer_for
from kefu.errors import NotFound
from kefu.tickets import queries
from kefu.tickets.models import Attachment


@login_required
def attachment(request: HttpRequest, attachment_id: int, filename: str) -> FileResponse:
    try:
        item = queries.get_attachment(viewer_for(request.user), attachment_id)
    except NotFound as exc:
        raise Http404 from exc
    return file_response(item)


def file_response(item: Attachment) -> FileResponse:
    """The file as it was checked: its own type, opened in a sandbox, PDFs downloaded."""
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=item.content_type == "application/pdf",
        filename=item.filename,
    )
    # The type was checked by content; the browser must not guess another.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
