"""``/api/v1/tickets/{number}/sla``: a ticket's SLA clocks, scoped exactly like the ticket."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from kefu.accounts.access import request_viewer
from kefu.sla import queries
from kefu.sla.schemas import ClockOut

router = Router(tags=["sla"])


@router.get(
    "/{number}/sla",
    response=list[ClockOut],
    summary="The ticket's SLA clocks: due time, state and remaining business time",
)
def ticket_sla(request: HttpRequest, number: str) -> list[ClockOut]:
    return [ClockOut.of(view) for view in queries.ticket_clocks(request_viewer(request), number)]
