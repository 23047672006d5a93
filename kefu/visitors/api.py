"""``POST /api/v1/status-lookup``: anyone may ask; the answer is the same sentence whether the
number and email match or not (a link goes by mail when they do)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from kefu.schemas import errors
from kefu.visitors import status
from kefu.visitors.schemas import StatusLookupIn, StatusLookupOut
from kefu.visitors.views import client_address

router = Router(tags=["status lookup"], auth=None)


@router.post(
    "/status-lookup",
    response={202: StatusLookupOut, **errors(429)},
    summary="Mail a ticket's status link to its requester (same answer either way)",
)
def status_lookup(request: HttpRequest, payload: StatusLookupIn) -> Status:
    """202 with a neutral sentence; 429 past the per-address or per-email limit."""
    status.request_link(number=payload.number, email=payload.email,
                        address=client_address(request))  # fmt: skip
    return Status(202, StatusLookupOut(detail=str(status.NEUTRAL_ANSWER)))
