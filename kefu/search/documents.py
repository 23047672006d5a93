"""What a ticket's search document holds, read from the database in batches.

Plain ``values()`` reads over the models it is given, so the data migration that builds the
index for existing tickets passes its historical models and gets the same documents as
``search.actions``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kefu.search.tokens import document

# The ticket's own fields and who it is from: number, subject, customer, organisation, codes.
HEAD_COLUMNS = (
    "number", "subject", "order_id", "shipment_code", "error_code", "requester__name",
    "requester__email", "organization__name", "organization__code",
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
    heads = ticket_model.objects.filter(pk__in=ids).values_list("pk", *HEAD_COLUMNS)
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
        Document(
            ticket_id=pk,
            head=document(value or "" for value in values),
            body=document(public[pk]),
            notes=document(internal[pk]),
        )
        for pk, *values in heads
    ]
