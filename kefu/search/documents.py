"""What a ticket's search document holds, read from the database in batches.

Plain ``values()`` reads over the models it is given, so the data migrations that build the
index for existing tickets pass their historical models and get the same documents as
``search.actions``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kefu.search.tokens import document, filter_token

# The ticket's own fields and who it is from: number, subject, customer, organisation, codes.
HEAD_COLUMNS = (
    "number", "subject", "order_id", "shipment_code", "error_code", "requester__name",
    "requester__email", "organization__name", "organization__code",
)  # fmt: skip
BATCH = 2000  # tickets per pair of reads and bulk write
# What the desk and the API filter on (``tickets.queries.TicketFilters``): ``search.tokens.
# filter_token`` tokens at the end of the head, so the full-text index narrows by them.
FILTER_COLUMNS = (
    "status", "priority", "channel", "category_id", "team_id", "organization_id", "assignee_id",
)  # fmt: skip


@dataclass(frozen=True)
class Document:
    ticket_id: int
    head: str
    body: str
    notes: str


def documents(ticket_model: Any, message_model: Any, ids: Iterable[int]) -> list[Document]:
    """The documents of the tickets ``ids`` (those that exist), from two queries."""
    ids = list(ids)
    heads = ticket_model.objects.filter(pk__in=ids).values_list(
        "pk", *FILTER_COLUMNS, *HEAD_COLUMNS
    )
    public: dict[int, list[str]] = defaultdict(list)
    internal: dict[int, list[str]] = defaultdict(list)
    messages = (
        message_model.objects.filter(ticket_id__in=ids)
        .order_by("ticket_id", "created_at", "id")
        .values_list("ticket_id", "is_internal", "body")
    )
    for ticket_id, is_internal, body in messages:
        (internal if is_internal else public)[ticket_id].append(body)
    return [
        _document(pk, values[: len(FILTER_COLUMNS)], values[len(FILTER_COLUMNS) :],
                  public[pk], internal[pk])
        for pk, *values in heads
    ]  # fmt: skip


def _document(
    pk: int, attributes: list[Any], texts: list[Any], public: list[str], internal: list[str]
) -> Document:
    tags = " ".join(map(filter_token, FILTER_COLUMNS, attributes))
    head = document(value or "" for value in texts)
    head = f"{head} {tags}" if head else tags
    return Document(pk, head, document(public), document(internal))


def _path(instance: Any, path: str) -> Any:
    """``requester__email`` of a ticket instance, as ``values_list`` reads it (None on a null)."""
    for name in path.split("__"):
        if instance is None:
            return None
        instance = getattr(instance, name)
    return instance


def document_of(ticket: Any, messages: Iterable[Any]) -> Document:
    """The document of a ticket from the instance and its messages in order, as ``documents``
    reads them: for a ticket whose every row the caller holds (created in this unit of work)."""
    messages = list(messages)
    return _document(
        ticket.pk,
        [_path(ticket, column) for column in FILTER_COLUMNS],
        [_path(ticket, column) for column in HEAD_COLUMNS],
        [m.body for m in messages if not m.is_internal],
        [m.body for m in messages if m.is_internal],
    )


def write(document_model: Any, found: list[Document]) -> int:
    """Insert or replace these documents; how many were written."""
    rows = [
        document_model(ticket_id=d.ticket_id, head=d.head, body=d.body, notes=d.notes)
        for d in found
    ]
    document_model.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["ticket"],
        update_fields=["head", "body", "notes"],
    )
    return len(rows)


def store(document_model: Any, ticket_model: Any, message_model: Any, ids: Iterable[int]) -> int:
    """Write (insert or replace) the documents of the tickets ``ids``; how many were written."""
    return write(document_model, documents(ticket_model, message_model, ids))


def build_documents(apps: Any, schema_editor: Any) -> None:
    """A data migration's step: write every ticket's document, ``BATCH`` tickets at a time."""
    names = ("search.TicketDocument", "tickets.Ticket", "tickets.Message")
    document_model, ticket_model, message_model = (apps.get_model(name) for name in names)
    ids = list(ticket_model.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        store(document_model, ticket_model, message_model, ids[start : start + BATCH])
