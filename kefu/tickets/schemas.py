"""API shapes of tickets, messages, attachments and events."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.urls import reverse
from ninja import Field, Schema
from pydantic import BaseModel, StringConstraints, field_validator

from kefu.accounts.access import request_viewer
from kefu.accounts.models import User, shown_name
from kefu.ratings.queries import ratings_of
from kefu.ratings.schemas import RatingOut
from kefu.tickets import queries
from kefu.tickets.concurrency import ticket_version
from kefu.tickets.models import Attachment, Message, Ticket, TicketEvent
from kefu.validation import Id, not_nullable, refuse_null

Code = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
]
StatusName = Literal["new", "open", "pending_customer", "on_hold", "resolved", "closed"]
PriorityName = Literal["urgent", "high", "normal", "low"]
ComplexityName = Literal["simple", "complex", "multi_team", "special"]


def display_name(user: User | None) -> str:
    """How ``user`` appears on a ticket; the system has no name."""
    if user is None:
        return "Kefu"
    agent = getattr(user, "agent", None)
    return shown_name(agent.code if agent is not None else None, user.name, user.email)


def _for_staff(context: dict[str, Any] | None) -> bool:
    """Triage reasons and scores are the team's business, not the customer's."""
    request = (context or {}).get("request")
    if request is None:
        return False
    viewer = request_viewer(request)
    return viewer.is_agent or viewer.system


class TicketCreate(Schema):
    subject: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50_000)]
    category: Code | None = None
    priority: PriorityName | None = Field(
        None, description="Staff only: a customer's is refused (422); customers send ``urgent``"
    )
    urgent: bool = Field(False, description="The customer asks for urgent handling")
    order_id: Code = ""
    order_value: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    shipment_code: Code = ""
    error_code: Code = ""
    desired_outcome: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""
    expected_by: date | None = None
    language: Literal["zh", "en"] | None = None
    tags: list[Code] = Field(
        default_factory=list,
        max_length=20,
        description="Staff: the ticket's tags. Customers: their own labels (``customer_tags``), "
        "which never select SLA policies",
    )
    # Agents filing for a customer (e.g. from a phone call) name the requester and the channel
    # the customer used; customers' tokens may not send these (403).
    organization: Code | None = Field(
        None, description="Staff only: the customer's organisation (its code)"
    )
    requester: Id | None = Field(None, description="Staff only: the customer's user id")
    requester_email: Email | None = Field(
        None,
        description="Staff only: the customer's email; an unknown one becomes a new contact "
        "(unverified), as for mail from a stranger",
    )
    channel: Literal["phone", "walk_in", "email", "wechat"] | None = Field(
        None,
        description="Staff only: how the customer asked (default: api); a phone call or a visit "
        "is the ticket's first response",
    )


class TicketUpdate(Schema):
    """Only the fields sent change. Category, assignee and team may be cleared with null or "";
    the others always have a value, so null is refused (422)."""

    status: StatusName | None = Field(None, json_schema_extra=not_nullable)
    priority: PriorityName | None = Field(None, json_schema_extra=not_nullable)
    complexity: ComplexityName | None = Field(None, json_schema_extra=not_nullable)
    category: Code | None = None
    assignee: Code | None = None
    team: Code | None = None
    tags: list[Code] | None = Field(None, max_length=20, json_schema_extra=not_nullable)
    version: str | None = Field(
        None,
        max_length=40,
        description="The ticket's `version` as last read (or send it as `If-Match`): if the "
        "ticket changed since, nothing is changed and the answer is 409 `ticket_changed`",
    )

    _not_null = field_validator("status", "priority", "complexity", "tags", mode="before")(
        refuse_null
    )


class TicketMerge(Schema):
    into: Code = Field(description="Number of the ticket that absorbs this one")
    confirm_differences: bool = Field(
        False,
        description="Required when the two tickets have different requesters (of one "
        "organisation) or different order ids; tickets of different organisations (or of "
        "different people without one) are never merged.",
    )


class QueueViewOut(Schema):
    id: str = Field(description="A shipped default's name, or the saved view's id")
    name: str
    filters: dict[str, str] = Field(description="Parameters of GET /api/v1/tickets")
    kind: Literal["default", "own", "team"]
    team: str | None = Field(None, description="The team a shared view is shared with")
    editable: bool
    count: int = Field(description="Tickets in the view, counted up to 1000")


class TicketSplit(Schema):
    messages: list[Id] = Field(min_length=1, max_length=200, description="Message ids to move")
    subject: Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)] = ""


class MessageCreate(Schema):
    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50_000)]
    internal: bool = False


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    url: str

    @staticmethod
    def resolve_url(obj: Attachment) -> str:
        return reverse("attachment", args=[obj.pk, obj.filename])


class MessageOut(Schema):
    id: int
    author: str
    author_role: str
    internal: bool
    body: str
    created_at: datetime
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_author(obj: Message) -> str:
        return display_name(obj.author)

    @staticmethod
    def resolve_internal(obj: Message) -> bool:
        return obj.is_internal

    @staticmethod
    def resolve_attachments(obj: Message) -> list[Attachment]:
        return list(obj.attachments.all())


class EventOut(Schema):
    kind: str
    field: str
    old: object | None
    new: object | None
    actor: str
    created_at: datetime

    @staticmethod
    def resolve_actor(obj: TicketEvent) -> str:
        return display_name(obj.actor)


class TicketSummary(BaseModel):
    """A ticket as lists show it. ``queries.ticket_rows`` builds these rows as dicts: a plain
    pydantic model validates them directly, where ninja's ``Schema`` would wrap each in an
    attribute getter (~600 lookups per page)."""

    number: str
    subject: str
    status: StatusName
    priority: PriorityName
    complexity: ComplexityName
    channel: str
    category: str | None
    organization: str | None
    requester: str
    assignee: str | None
    team: str | None
    language: str
    tags: list[str]
    order_id: str
    shipment_code: str
    error_code: str
    desired_outcome: str
    expected_by: date | None
    is_emergency: bool
    is_complaint: bool
    is_verified: bool
    being_triaged: bool = Field(
        False,
        description="Just filed: routing, SLA clocks and score follow within a second",
    )
    created_at: datetime
    updated_at: datetime
    score: float | None = Field(None, description="Queue priority score (staff only)")
    triage: dict[str, Any] | None = Field(
        None,
        description="Why: model confidence and guesses, rules fired, score terms, routing, "
        "required evidence (staff only)",
    )


class TicketListItem(TicketSummary):
    snippet: str | None = Field(
        None,
        description="With a search query (``q``): the matching text of the subject or a message, "
        "as HTML escaped but for ``<mark>`` around the matches (internal notes for staff only)",
    )


class TicketOut(Schema, TicketSummary):
    customer_tags: list[str] = Field(default_factory=list, description="The customer's own labels")
    urgent_requested: bool = Field(False, description="The customer asked for urgent handling")
    version: str = Field(
        "", description="Changes with every change of the ticket; send it back with a PATCH"
    )

    @staticmethod
    def resolve_version(obj: Ticket) -> str:
        return ticket_version(obj)

    @staticmethod
    def resolve_score(obj: Ticket, context: dict[str, Any] | None) -> float | None:
        return obj.score if _for_staff(context) else None

    @staticmethod
    def resolve_triage(obj: Ticket, context: dict[str, Any] | None) -> dict[str, Any] | None:
        return obj.triage if _for_staff(context) else None

    @staticmethod
    def resolve_category(obj: Ticket) -> str | None:
        return obj.category.code if obj.category else None

    @staticmethod
    def resolve_organization(obj: Ticket) -> str | None:
        return obj.organization.code if obj.organization else None

    @staticmethod
    def resolve_requester(obj: Ticket) -> str:
        return display_name(obj.requester)

    @staticmethod
    def resolve_assignee(obj: Ticket) -> str | None:
        return obj.assignee.code if obj.assignee else None

    @staticmethod
    def resolve_team(obj: Ticket) -> str | None:
        return obj.team.code if obj.team else None


class TicketDetailOut(TicketOut):
    """A ticket with the conversation and files its viewer may see."""

    messages: list[MessageOut]
    attachments: list[AttachmentOut]
    ratings: list[RatingOut] = Field(
        default_factory=list, description="Ratings of its resolutions and chats, newest first"
    )

    @staticmethod
    def resolve_messages(obj: Ticket, context: dict[str, Any]) -> list[Message]:
        return list(queries.ticket_messages(request_viewer(context["request"]), obj))

    @staticmethod
    def resolve_attachments(obj: Ticket, context: dict[str, Any]) -> list[Attachment]:
        return list(queries.ticket_attachments(request_viewer(context["request"]), obj))

    @staticmethod
    def resolve_ratings(obj: Ticket) -> list[Any]:
        return ratings_of(obj)


class TicketPage(Schema):
    count: int = Field(description="Matching tickets, counted up to 10,000")
    count_exact: bool = Field(description="False when there are more than ``count``")
    page: int
    page_size: int
    results: list[TicketListItem]
