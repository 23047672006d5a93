"""``/api/v1/tickets``: thin handlers over ``tickets.actions`` and ``tickets.queries``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field, StringConstraints

from kefu.accounts.access import Viewer, request_viewer
from kefu.accounts.models import Agent, Organization, Team, User
from kefu.accounts.queries import customer_by_id
from kefu.errors import Forbidden, Invalid
from kefu.intake import interactive
from kefu.intake.base import TicketFields
from kefu.intake.interactive import NewContact
from kefu.intake.models import Outcome
from kefu.schemas import errors
from kefu.tickets import actions, queries
from kefu.tickets.concurrency import check_version
from kefu.tickets.models import Category, Channel, Ticket
from kefu.tickets.schemas import (
    AttachmentOut,
    EventOut,
    MessageCreate,
    MessageOut,
    QueueViewOut,
    TicketCreate,
    TicketDetailOut,
    TicketMerge,
    TicketOut,
    TicketPage,
    TicketSplit,
    TicketUpdate,
)
from kefu.tickets.uploads import read_upload
from kefu.tickets.work import unit_of_work
from kefu.validation import Id

router = Router(tags=["tickets"])
views_router = Router(tags=["views"])
COUNT_LIMIT = 10_000
FilterCode = Annotated[str, StringConstraints(max_length=64)]
# Support sets the priority; a customer says it is urgent, and agents see that they asked.
_CUSTOMER_PRIORITY = gettext_lazy(
    'Customers cannot set the priority. Send "urgent": true to ask for urgent handling.'
)


class ListParams(Schema):
    status: FilterCode | None = None
    category: FilterCode | None = None
    priority: FilterCode | None = None
    assignee: FilterCode | None = None
    team: FilterCode | None = None
    org: FilterCode | None = None
    channel: FilterCode | None = None
    q: Annotated[str, StringConstraints(max_length=200)] | None = None
    breaching: Literal["1h"] | None = Field(
        None, description="Only tickets with an SLA clock due within the hour (a saved view's)"
    )
    order: Literal["recent", "score"] | None = None
    # Counts stop at COUNT_LIMIT, so no page past it can hold anything.
    page: int = Field(1, ge=1, le=COUNT_LIMIT)
    page_size: int = Field(25, ge=1, le=200)


def category_by_code(code: str | None) -> Category | None:
    if not code:
        return None
    category = Category.objects.select_related("team").filter(code=code, is_active=True).first()
    if category is None:
        raise Invalid(_("Unknown category “%(code)s”.") % {"code": code}, field="category")
    return category


# What only staff send: who the ticket is for, and how that customer asked.
ON_BEHALF_FIELDS = ("organization", "requester", "requester_email", "channel")


def _refuse_on_behalf(viewer: Viewer, payload: TicketCreate) -> None:
    """A customer files as themselves: naming another requester or channel is refused."""
    used = [name for name in ON_BEHALF_FIELDS if getattr(payload, name) is not None]
    if used and not (viewer.is_agent or viewer.system):
        raise Forbidden(_("Only support staff open tickets on a customer's behalf."), field=used[0])


def _organization(code: str | None) -> Organization | None:
    if not code:
        return None
    organization = Organization.objects.filter(code=code).first()
    if organization is None:
        raise Invalid(_("Unknown organisation."), field="organization")
    return organization


def _requester_for(
    viewer: Viewer, payload: TicketCreate
) -> tuple[User | NewContact, Organization | None]:
    if viewer.account is not None:
        return viewer.account.user, viewer.account.organization
    assert viewer.user is not None
    organization = _organization(payload.organization)
    if payload.requester is not None:
        requester = customer_by_id(viewer, payload.requester)
        if requester is None:
            raise Invalid(_("Unknown customer."), field="requester")
    elif payload.requester_email:
        requester = User.objects.filter(email__iexact=payload.requester_email).first()
        if requester is None:  # a stranger: the pipeline makes them a contact
            return NewContact(email=payload.requester_email.lower()), organization
    else:
        return viewer.user, organization
    if organization and not organization.accounts.filter(user=requester).exists():
        if payload.requester is not None:
            raise Invalid(_("This customer is not in that organisation."), field="requester")
        raise Invalid(
            _("No customer with this email in that organisation."), field="requester_email"
        )
    return requester, organization


@router.post(
    "", response={200: TicketOut, 201: TicketOut, **errors(403, 503)}, summary="Create a ticket"
)
def create_ticket(request: HttpRequest, payload: TicketCreate) -> Status:
    """201 with the new ticket; 200 with the existing one when the request repeats an
    ``Idempotency-Key`` or the same message was just sent (it joins that ticket)."""
    viewer = request_viewer(request)
    if payload.priority and not (viewer.is_agent or viewer.system):
        raise Invalid(_CUSTOMER_PRIORITY, field="priority")
    _refuse_on_behalf(viewer, payload)
    requester, organization = _requester_for(viewer, payload)
    category_by_code(payload.category)  # an unknown category is the caller's error (422)
    result = interactive.open_ticket(
        channel=payload.channel or Channel.API,
        viewer=viewer,
        requester=requester,
        organization=organization,
        subject=payload.subject,
        body=payload.body,
        fields=TicketFields(
            category=payload.category or "",
            priority=payload.priority or "",
            order_id=payload.order_id,
            order_value=payload.order_value,
            shipment_code=payload.shipment_code,
            error_code=payload.error_code,
            desired_outcome=payload.desired_outcome,
            expected_by=payload.expected_by,
            tags=payload.tags,
            language=payload.language or "",
            urgent=payload.urgent,
        ),
        idempotency_key=request.headers.get("Idempotency-Key", "")[:200],
    )
    return Status(201 if result.outcome == Outcome.TICKET else 200, result.ticket)


@router.post(
    "/next", response={200: TicketOut, 204: None, **errors(403)}, summary="Take the next ticket"
)
def take_next(request: HttpRequest) -> Status:
    """Assign the best unassigned ticket of the agent's teams (highest score) to the caller;
    204 when the queue is empty. Two agents calling at once never get the same ticket."""
    ticket = actions.take_next_ticket(actor=request_viewer(request))
    if ticket is None:
        return Status(204, None)
    return Status(200, queries.get_ticket(request_viewer(request), ticket.number))


@router.get("", response=TicketPage, summary="List tickets")
def list_tickets(request: HttpRequest, params: Query[ListParams]) -> dict[str, Any]:
    """Tickets the caller may see, filtered. ``q`` searches number, subject, messages (internal
    notes for staff only), customer name and e-mail, organisation, order id, shipment and error
    code, in Chinese and English: results are ranked by relevance, then recency, among the 200
    newest matches, each with a highlighted ``snippet``."""
    filters = queries.TicketFilters(
        **params.model_dump(exclude={"page", "page_size"}, exclude_none=True)
    )
    viewer = request_viewer(request)
    tickets = queries.list_tickets(viewer, filters)
    start = (params.page - 1) * params.page_size
    # Counting stops at COUNT_LIMIT: an exact count of 100k rows costs more than the page.
    counted = queries.count_up_to(viewer, filters, COUNT_LIMIT)
    return {
        "count": min(counted, COUNT_LIMIT),
        "count_exact": counted <= COUNT_LIMIT,
        "page": params.page,
        "page_size": params.page_size,
        "results": queries.ticket_rows(
            tickets,
            start,
            params.page_size,
            staff=viewer.is_agent or viewer.system,
            query=filters.q,
        ),
    }


@router.get("/{number}", response=TicketDetailOut, summary="Get a ticket with its conversation")
def get_ticket(request: HttpRequest, number: str) -> Ticket:
    return queries.get_ticket(request_viewer(request), number)


def _resolve_update(changes: dict[str, Any]) -> dict[str, Any]:
    """Turn codes from the request into the objects ``update_ticket`` sets."""
    resolved = dict(changes)
    if "category" in changes:
        resolved["category"] = category_by_code(changes["category"])
    if changes.get("assignee"):
        resolved["assignee"] = Agent.objects.filter(code=changes["assignee"]).first()
        if resolved["assignee"] is None:
            raise Invalid(_("Unknown agent."), field="assignee")
    if changes.get("team"):
        resolved["team"] = Team.objects.filter(code=changes["team"]).first()
        if resolved["team"] is None:
            raise Invalid(_("Unknown team."), field="team")
    return {k: (None if v == "" else v) for k, v in resolved.items()}


@router.patch("/{number}", response={200: TicketOut, **errors(403, 409)}, summary="Change a ticket")
def update_ticket(request: HttpRequest, number: str, payload: TicketUpdate) -> Ticket:
    viewer = request_viewer(request)
    ticket = queries.get_ticket(viewer, number)
    changes = payload.model_dump(exclude_unset=True)
    seen = changes.pop("version", None) or request.headers.get("If-Match", "").strip('"W/ ')
    if not (viewer.is_agent or viewer.system) and set(changes) - {"status"}:
        raise Forbidden(
            _("Customers may only confirm or reopen a resolved ticket."), field="status"
        )
    resolved = _resolve_update(changes)
    with unit_of_work():
        check_version(ticket, seen or None)
        return actions.update_ticket(ticket=ticket, actor=viewer, changes=resolved)


@router.post(
    "/{number}/messages",
    response={201: MessageOut, **errors(403, 409, 503)},
    summary="Reply or add a note",
)
def add_message(request: HttpRequest, payload: MessageCreate, number: str) -> Status:
    viewer = request_viewer(request)
    ticket = queries.get_ticket(viewer, number)
    if viewer.is_agent:  # staff replies are outbound, not intake
        message = actions.add_message(
            ticket=ticket, actor=viewer, body=payload.body, internal=payload.internal
        )
        return Status(201, message)
    if payload.internal:
        raise Forbidden(_("Only support staff can write internal notes."), field="internal")
    result = interactive.reply(
        channel=Channel.API,
        viewer=viewer,
        ticket=ticket,
        body=payload.body,
        idempotency_key=request.headers.get("Idempotency-Key", "")[:200],
    )
    return Status(201, result.message)


@router.post(
    "/{number}/attachments",
    response={201: AttachmentOut, **errors(403, 409)},
    summary="Attach a file",
)
def add_attachment(
    request: HttpRequest,
    number: str,
    file: File[UploadedFile],
    message_id: Form[Id | None] = None,
) -> Status:
    viewer = request_viewer(request)
    ticket = queries.get_ticket(viewer, number)
    message = None
    if message_id is not None:
        message = queries.ticket_messages(viewer, ticket).filter(pk=message_id).first()
        if message is None:
            raise Invalid(_("Unknown message."), field="message_id")
    filename = file.name or ""
    data = read_upload(filename, file)
    attachment = actions.attach_file(
        ticket=ticket, actor=viewer, filename=filename, data=data, message=message
    )
    return Status(201, attachment)


@router.get("/{number}/events", response=list[EventOut], summary="The ticket's audit trail")
def list_events(request: HttpRequest, number: str) -> Any:
    viewer = request_viewer(request)
    return queries.ticket_events(viewer, queries.get_ticket(viewer, number))


@router.post(
    "/{number}/merge",
    response={200: TicketOut, **errors(403, 409)},
    summary="Merge into another ticket",
)
def merge_ticket(request: HttpRequest, number: str, payload: TicketMerge) -> Ticket:
    """Move this ticket's conversation into ``into`` and close it; returns ``into``."""
    viewer = request_viewer(request)
    source = queries.get_ticket(viewer, number)
    target = queries.get_ticket(viewer, payload.into)
    return actions.merge_tickets(
        source=source, target=target, actor=viewer, confirmed=payload.confirm_differences
    )


@router.post(
    "/{number}/split",
    response={201: TicketOut, **errors(403, 409)},
    summary="Split messages off",
)
def split_ticket(request: HttpRequest, number: str, payload: TicketSplit) -> Status:
    """Move the chosen messages into a new ticket of the same customer; returns it."""
    viewer = request_viewer(request)
    ticket = queries.get_ticket(viewer, number)
    new = actions.split_ticket(
        ticket=ticket, message_ids=payload.messages, actor=viewer, subject=payload.subject
    )
    return Status(201, new)


@views_router.get("", response={200: list[QueueViewOut], **errors(403)}, summary="Saved views")
def list_views(request: HttpRequest) -> list[dict[str, Any]]:
    """The desk queue's views for the agent: the shipped defaults, their own saved views and
    those their teams' leads shared, with counts. Open tickets unless the view sets a status."""
    viewer = request_viewer(request)
    if not viewer.is_agent:
        raise Forbidden(_("Only agents have queue views."), field="views")
    return [
        {
            "id": view.key,
            "name": view.name,
            "filters": view.filters,
            "kind": "team" if view.team else ("own" if view.key.isdigit() else "default"),
            "team": view.team or None,
            "editable": view.editable,
            "count": count,
        }
        for view, count in queries.counted_views(viewer)
    ]
