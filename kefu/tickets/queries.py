"""Reads of tickets, always scoped to what the viewer may see (``accounts.access``)."""

from __future__ import annotations

import time
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.access import Viewer, ticket_filter
from kefu.accounts.models import Agent, Organization, Team, User, shown_name
from kefu.errors import NotFound
from kefu.lib.process_cache import ProcessCache
from kefu.search import queries as search
from kefu.search.tokens import filter_token
from kefu.tickets.models import (
    OPEN_STATUSES,
    Attachment,
    Category,
    Follow,
    Message,
    SavedView,
    Status,
    Ticket,
    TicketEvent,
)
from kefu.tickets.models import EventKind as E
from kefu.tickets.work import created_here

# Events a customer may read on their own tickets; the rest is the team's business.
CUSTOMER_EVENT_KINDS = (E.CREATED, E.STATUS, E.REOPENED, E.REPLY, E.ATTACHMENT)
# What a ticket's API and pages show beside it; ``requester__agent`` tells staff from customers.
TICKET_RELATIONS = ("organization", "requester__agent", "category", "assignee", "team")


@dataclass(frozen=True)
class TicketFilters:
    status: str | None = None
    category: str | None = None
    priority: str | None = None
    assignee: str | None = None  # agent code, "me" or "none"
    team: str | None = None
    org: str | None = None
    channel: str | None = None
    q: str | None = None  # search (``kefu.search``): ranked by relevance, then recency
    breaching: str | None = None  # "1h": an SLA clock still running falls due within the hour
    open_only: bool = False  # without a status or a search: only open tickets (the desk queue)
    order: str | None = None  # "score": the agents' queue order; default: newest first


# What the desk queue's filter form sends; a saved view keeps these and nothing else.
FILTER_NAMES = ("status", "category", "priority", "team", "assignee", "q", "breaching")
BREACHING_WITHIN = {"1h": timedelta(hours=1)}


# The queue: highest priority score first (``triage.score``), then the longest waiting.
SCORE_ORDER = ("-score", "created_at", "id")


def visible_tickets(viewer: Viewer) -> QuerySet[Ticket]:
    return Ticket.objects.filter(ticket_filter(viewer))


def queue_view_counts(viewer: Viewer) -> dict[str, int]:
    """Open tickets in the desk's views (all I may see, mine, unassigned), each counted no
    further than VIEW_COUNT_LIMIT + 1 like the saved views (the top bar asks on every desk page,
    and counting 150k open tickets took ~150 ms), kept like the list counts below."""
    key = (viewer.user.pk if viewer.user else None, viewer.team_ids, "top bar")
    known: dict[str, int] | None = _kept(key)
    if known is not None:
        return known
    open_tickets = visible_tickets(viewer).filter(status__in=OPEN_STATUSES).order_by()
    mine = Q(assignee_id=viewer.agent.pk) if viewer.agent else Q(pk__in=[])
    views = {"queue": Q(), "mine": mine, "unassigned": Q(assignee__isnull=True)}
    counts = {
        name: open_tickets.filter(where)[: VIEW_COUNT_LIMIT + 1].count()
        for name, where in views.items()
    }
    _keep(key, counts)
    return counts


def get_ticket(viewer: Viewer, number: str) -> Ticket:
    """The ticket, or NotFound — also when it exists but belongs to someone else."""
    ticket = visible_tickets(viewer).select_related(*TICKET_RELATIONS).filter(number=number).first()
    if ticket is None:
        raise NotFound()
    return ticket


def customer_tickets(viewer: Viewer, ticket: Ticket) -> QuerySet[Ticket]:
    """The requester's other tickets that the viewer may see."""
    return visible_tickets(viewer).filter(requester_id=ticket.requester_id).exclude(pk=ticket.pk)


# How many of the requester's tickets the desk reads for the order ids and shipment codes they
# mention: the customer panel stays one bounded query however long their history.
MENTION_TICKETS = 50


def customer_mentions(
    viewer: Viewer, ticket: Ticket
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Order ids and shipment codes on the requester's tickets (this one included), newest
    first, each with the numbers of the tickets that mention it."""
    rows = (
        visible_tickets(viewer)
        .filter(requester_id=ticket.requester_id)
        .filter(~Q(order_id="") | ~Q(shipment_code=""))
        .order_by("-created_at", "-id")
        .values_list("number", "order_id", "shipment_code")[:MENTION_TICKETS]
    )
    orders: dict[str, list[str]] = {}
    shipments: dict[str, list[str]] = {}
    for number, order_id, shipment_code in rows:
        if order_id:
            orders.setdefault(order_id, []).append(number)
        if shipment_code:
            shipments.setdefault(shipment_code, []).append(number)
    return orders, shipments


def queue_neighbours(viewer: Viewer, ticket: Ticket) -> tuple[str | None, str | None]:
    """The open tickets before and after ``ticket`` in the viewer's queue order (the desk's
    previous/next ticket keys), as numbers."""
    queue = visible_tickets(viewer).filter(status__in=OPEN_STATUSES).exclude(pk=ticket.pk)
    score, created, pk = ticket.score, ticket.created_at, ticket.pk
    after = (
        Q(score__lt=score)
        | Q(score=score, created_at__gt=created)
        | Q(score=score, created_at=created, id__gt=pk)
    )
    before = (
        Q(score__gt=score)
        | Q(score=score, created_at__lt=created)
        | Q(score=score, created_at=created, id__lt=pk)
    )
    following = queue.filter(after).order_by(*SCORE_ORDER).values_list("number", flat=True)
    preceding = (
        queue.filter(before)
        .order_by("score", "-created_at", "-id")
        .values_list("number", flat=True)
    )
    return preceding.first(), following.first()


def list_tickets(viewer: Viewer, filters: TicketFilters) -> QuerySet[Ticket]:
    tickets = _filtered(viewer, filters)
    if filters.q:
        # The ids come from ``tickets``: they are scoped and filtered already.
        ids = _search(viewer, filters, tickets)
        _keep(_search_count_key(viewer, filters), len(ids))
        found = Ticket.objects.filter(pk__in=ids) if ids else tickets.none()
        return found.select_related(*TICKET_RELATIONS).order_by(search.in_order(ids))
    order = SCORE_ORDER if filters.order == "score" else ("-created_at", "-id")
    return tickets.select_related(*TICKET_RELATIONS).order_by(*order)


def _search(viewer: Viewer, filters: TicketFilters, tickets: QuerySet[Ticket]) -> list[int]:
    """The ranked ids of ``filters.q`` in ``tickets``, the filters ANDed into the match too."""
    staff = viewer.is_agent or viewer.system
    required = search_required(viewer, filters)
    return search.ranked_ids(tickets, filters.q or "", staff=staff, required=required)


def _filtered(viewer: Viewer, filters: TicketFilters) -> QuerySet[Ticket]:
    """The viewer's tickets that pass every filter but the search query."""
    tickets = visible_tickets(viewer).filter(**_filter_columns(viewer, filters))
    # A search finds resolved tickets too.
    if not filters.status and filters.open_only and not filters.q:
        tickets = tickets.filter(status__in=OPEN_STATUSES)
    if filters.breaching in BREACHING_WITHIN:
        tickets = tickets.filter(id__in=_breaching_ids(BREACHING_WITHIN[filters.breaching]))
    return tickets


def _filter_columns(viewer: Viewer, filters: TicketFilters) -> dict[str, Any]:
    """The ticket columns the filters ask for. Codes become ids in a subquery, not a join:
    PostgreSQL can then walk the ticket indexes that lead with the id (a join on the code
    filtered the newest tickets one by one)."""
    columns: dict[str, Any] = {}
    if filters.status:
        columns["status"] = filters.status
    if filters.category:
        columns["category_id"] = _id_of(Category, filters.category)
    if filters.priority:
        columns["priority"] = filters.priority
    if filters.team:
        columns["team_id"] = _id_of(Team, filters.team)
    if filters.org:
        columns["organization_id"] = _id_of(Organization, filters.org)
    if filters.assignee == "none":
        columns["assignee_id"] = None
    elif filters.assignee == "me":
        columns["assignee_id"] = viewer.agent.pk if viewer.agent else None
    elif filters.assignee:
        columns["assignee_id"] = _id_of(Agent, filters.assignee)
    if filters.channel:
        columns["channel"] = filters.channel
    return columns


def search_required(viewer: Viewer, filters: TicketFilters) -> tuple[str, ...]:
    """The filters' tokens in the search index (``search.documents.FILTER_COLUMNS``), a code's
    id looked up (an unknown code: ``none``, and the ticket filter matches nothing anyway)."""
    tokens = []
    for column, value in _filter_columns(viewer, filters).items():
        if isinstance(value, QuerySet):
            found = list(value)
            value = found[0]["pk"] if found else None
        tokens.append(filter_token(column, value))
    return tuple(tokens)


# Paging through a list asks for the same count page after page, and counting up to the limit
# costs ~1 ms over 100k tickets: counts are kept per process for COUNT_TTL seconds, by who asks
# and what they filter. A ticket change committed in this process forgets them all at once;
# changes made by other processes show within COUNT_TTL.
COUNT_TTL = 2.0
COUNTS_KEPT = 10_000
_counts: dict[Hashable, tuple[float, Any]] = {}


def _kept(key: Hashable) -> Any:
    """A count kept under ``key`` less than COUNT_TTL ago, or None (always None under tests)."""
    known = _counts.get(key)
    if known is None or time.monotonic() - known[0] >= COUNT_TTL or settings.TESTING:
        return None
    return known[1]


def _keep(key: Hashable, value: Any) -> None:
    if len(_counts) >= COUNTS_KEPT:
        _counts.clear()
    _counts[key] = (time.monotonic(), value)


def count_up_to(viewer: Viewer, filters: TicketFilters, limit: int) -> int:
    """How many tickets ``list_tickets`` gives, counting no further than ``limit + 1``."""
    key = (viewer.user.pk if viewer.user else None, viewer.team_ids, filters, limit)
    # Search results are the ranked candidates, which ``list_tickets`` counted as it ranked them.
    for kept in (key, _search_count_key(viewer, filters)) if filters.q else (key,):
        known: int | None = _kept(kept)
        if known is not None:
            return known
    if filters.q:
        staff = viewer.is_agent or viewer.system
        required = search_required(viewer, filters)
        tickets = _filtered(viewer, filters)
        counted = len(search.candidates(tickets, filters.q, staff=staff, required=required))
    else:
        counted = list_tickets(viewer, filters).order_by()[: limit + 1].count()
    _keep(key, counted)
    return counted


def _search_count_key(viewer: Viewer, filters: TicketFilters) -> Hashable:
    return (viewer.user.pk if viewer.user else None, viewer.team_ids, filters, "search")


def forget_counts(*args: Any) -> None:
    """A ticket changed (``kefu.flow``, after commit): counts kept in this process are stale."""
    _counts.clear()


# A list row's own columns, and its relations by code (the shape of ``schemas.TicketSummary``).
ROW_COLUMNS = (
    "number", "subject", "status", "priority", "complexity", "channel", "language", "tags",
    "order_id", "shipment_code", "error_code", "desired_outcome", "expected_by", "is_emergency",
    "is_complaint", "is_verified", "created_at", "updated_at", "score", "triage",
)  # fmt: skip
ROW_RELATIONS = {
    "organization": "organization__code",
    "category": "category__code",
    "assignee": "assignee__code",
    "team": "team__code",
}
# In the order ``shown_name`` takes them.
REQUESTER_COLUMNS = ("requester__agent__code", "requester__name", "requester__email")


def ticket_rows(
    tickets: QuerySet[Ticket], start: int, size: int, *, staff: bool, query: str | None = None
) -> list[Any]:
    """A page of ``tickets`` as plain rows, in order. The page's ids first, then those rows by
    id: both queries read the same from page to page, so PostgreSQL prepares them once per
    connection instead of planning a seven-table join for every page number (~9 ms), and no
    model instances are built (~0.2 ms per row). With a search ``query``, each row has the
    snippet that matched."""
    ids = list(tickets.values_list("pk", flat=True)[start : start + size])
    columns = (*ROW_COLUMNS, *ROW_RELATIONS.values(), *REQUESTER_COLUMNS)
    found = {row["pk"]: row for row in Ticket.objects.filter(pk__in=ids).values("pk", *columns)}
    marked = search.snippets(ids, query, staff=staff) if query else {}
    return [_row(found[pk], staff, marked.get(pk)) for pk in ids if pk in found]


def _row(values: dict[str, Any], staff: bool, snippet: str | None) -> dict[str, Any]:
    row = {name: values[name] for name in ROW_COLUMNS}
    row["snippet"] = snippet
    row.update({name: values[column] for name, column in ROW_RELATIONS.items()})
    row["requester"] = shown_name(*(values[column] for column in REQUESTER_COLUMNS))
    if not staff:
        row["score"] = row["triage"] = None
    return row


def _breaching_ids(within: timedelta) -> QuerySet[Any]:
    """Tickets with a running clock due within ``within`` (or overdue, not yet swept)."""
    from kefu.sla.models import SlaClock  # sla.models imports this app's models

    return SlaClock.objects.filter(
        state=SlaClock.State.RUNNING,
        breached_at__isnull=True,
        due_at__lte=timezone.now() + within,
    ).values("ticket_id")


def _id_of(model: type[Model], code: str) -> QuerySet[Any]:
    return model._default_manager.filter(code=code).values("pk")[:1]


def _active_categories() -> list[Category]:
    return list(Category.objects.filter(is_active=True).select_related("team"))


# Looked up for every new ticket, edited rarely.
_categories = ProcessCache(_active_categories, forget_on=[Category, Team])


def active_category(code: str | None) -> Category | None:
    """The active category of this code, with its team."""
    return next((c for c in _categories.get() if c.code == code), None)


def next_ticket_candidates(viewer: Viewer, limit: int) -> list[int]:
    """Ids of the best unassigned new or open tickets in the agent's teams, best first."""
    return list(
        Ticket.objects.filter(
            team_id__in=viewer.team_ids, assignee__isnull=True, status__in=("new", "open")
        )
        .order_by(*SCORE_ORDER)
        .values_list("pk", flat=True)[:limit]
    )


def ticket_messages(viewer: Viewer, ticket: Ticket) -> QuerySet[Message]:
    messages = ticket.messages.select_related("author", "author__agent")
    if not (viewer.is_agent or viewer.system):
        messages = messages.filter(is_internal=False)
    return messages.prefetch_related("attachments")


def ticket_events(viewer: Viewer, ticket: Ticket) -> QuerySet[TicketEvent]:
    events = ticket.events.select_related("actor", "actor__agent")
    if not (viewer.is_agent or viewer.system):
        events = events.filter(kind__in=CUSTOMER_EVENT_KINDS)
    return events


def ticket_attachments(viewer: Viewer, ticket: Ticket) -> QuerySet[Attachment]:
    attachments = ticket.attachments.all()
    if not (viewer.is_agent or viewer.system):
        attachments = attachments.exclude(message__is_internal=True)
    return attachments


def get_attachment(viewer: Viewer, attachment_id: int) -> Attachment:
    attachment = (
        Attachment.objects.select_related("ticket", "message")
        .filter(pk=attachment_id, ticket__in=visible_tickets(viewer))
        .first()
    )
    if attachment is None or (
        attachment.message
        and attachment.message.is_internal
        and not (viewer.is_agent or viewer.system)
    ):
        raise NotFound()
    return attachment


# Saved views of the desk queue: the shipped defaults every agent has, their own views and the
# views their teams' leads shared. Counts stop at VIEW_COUNT_LIMIT; each is one query, kept and
# forgotten like every list count (``count_up_to``).
VIEW_COUNT_LIMIT = 999
DEFAULT_VIEWS = (
    ("my-open-urgent", _("My open urgent"), {"assignee": "me", "priority": "urgent"}),
    ("awaiting-evidence", _("Awaiting evidence"), {"status": Status.PENDING_CUSTOMER.value}),
    ("breaching-1h", _("Breaching within 1 h"), {"breaching": "1h"}),
)


@dataclass(frozen=True)
class QueueView:
    key: str  # a default's name, or the saved view's id
    name: str
    filters: dict[str, str]
    team: str = ""  # the team it is shared with
    editable: bool = False  # the viewer may rename and delete it

    @property
    def query(self) -> str:
        return urlencode(self.filters)


def queue_filters(chosen: dict[str, Any]) -> TicketFilters:
    """The desk queue's filters from its parameters: open tickets unless a status is chosen
    or a search asked."""
    known = {name: str(chosen[name]) for name in FILTER_NAMES if chosen.get(name)}
    return TicketFilters(**known, open_only=True, order="score")


def saved_views(viewer: Viewer) -> QuerySet[SavedView]:
    """The viewer's own views and those shared with their teams (or the teams they lead)."""
    if viewer.agent is None:
        return SavedView.objects.none()
    return SavedView.objects.filter(
        Q(owner=viewer.agent) | Q(team_id__in=viewer.team_ids) | Q(team__lead=viewer.agent)
    ).select_related("team")


def get_saved_view(viewer: Viewer, view_id: int) -> SavedView:
    found = saved_views(viewer).filter(pk=view_id).first()
    if found is None:
        raise NotFound()
    return found


def may_share_with(viewer: Viewer, team: Team) -> bool:
    """A team's lead (or an admin) shares views with it."""
    return viewer.is_admin or bool(viewer.agent and team.lead_id == viewer.agent.pk)


def queue_views(viewer: Viewer) -> list[QueueView]:
    defaults = [QueueView(key, str(name), filters) for key, name, filters in DEFAULT_VIEWS]
    saved = [
        QueueView(
            str(view.pk),
            view.name,
            {k: str(v) for k, v in view.filters.items() if k in FILTER_NAMES and v},
            team=str(view.team) if view.team else "",
            editable=view.team is None or may_share_with(viewer, view.team),
        )
        for view in saved_views(viewer)
    ]
    return defaults + saved


def counted_views(viewer: Viewer) -> list[tuple[QueueView, int]]:
    """Each view with its ticket count, one query per view (kept briefly, forgotten on
    changes)."""
    return [
        (view, count_up_to(viewer, queue_filters(view.filters), VIEW_COUNT_LIMIT))
        for view in queue_views(viewer)
    ]


def merge_differences(source: Ticket, target: Ticket) -> list[str]:
    """What tells two tickets apart: ``customer`` (different organisations, or different people
    without one: never merged), ``requester`` (of one organisation), ``order_id`` (both set)."""
    found = []
    if source.organization_id != target.organization_id:
        found.append("customer")
    elif source.requester_id != target.requester_id:
        found.append("requester" if source.organization_id else "customer")
    if source.order_id and target.order_id and source.order_id != target.order_id:
        found.append("order_id")
    return found


def following(ticket: Ticket) -> list[User]:
    """The agents following ``ticket``."""
    if (new := created_here(ticket.pk)) is not None:  # only this unit can have followed it
        return list(new.followers)  # agents: ``actions.follow_ticket`` refuses anyone else
    return list(User.objects.filter(follows__ticket=ticket, agent__isnull=False))


def is_following(viewer: Viewer, ticket: Ticket) -> bool:
    mine = Follow.objects.filter(ticket=ticket, user=viewer.user)
    return viewer.user is not None and mine.exists()


def still_being_triaged(ticket_id: int) -> bool:
    """Whether the worker's triage batch has yet to take the ticket; the row stays locked until
    commit, so the batch skips it meanwhile (``intake.derivation``)."""
    rows = Ticket.objects.select_for_update().filter(pk=ticket_id)
    return bool(rows.values_list("being_triaged", flat=True).first())
