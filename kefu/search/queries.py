"""Ticket search over the index: matching tickets ranked by relevance, then recency, with
highlighted snippets. The caller passes tickets already scoped to the viewer and filtered
(``tickets.queries.list_tickets``), so search can never widen what someone sees; customers'
queries never reach the internal notes' tokens.

Ranking a common word cannot touch all its matches: 发票 may be in 10 % of a million tickets,
and no index ranks 100,000 rows in 50 ms. So relevance ranks only the most recent
``CANDIDATES`` matches: the database finds them by walking the newest tickets (the
``ticket_recent`` index, checking each one's document) when a term is common, or through the
full-text index when it is rare — its planner picks by the term's frequency — and Python scores
those few hundred by where the terms occur (the ticket's own fields weigh three times a
message). Older matches of a common word are found by adding words or filters.

The filters are in the index as well (``search.tokens.filter_token``): the caller passes their
tokens as ``required`` and they are ANDed into the match, so the full-text index narrows by
them instead of the database checking the filters ticket by ticket.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from kefu.knowledge.text import snippet
from kefu.search.models import TicketDocument
from kefu.search.tokens import Term, query_terms
from kefu.tickets.models import Message, Ticket

CANDIDATES = 200
FTS_TABLE = "search_ticketdocument_fts"
NOTE_MARK = "~"  # internal notes' tokens in the PostgreSQL document (migration 0001)
HEAD_WEIGHT, BODY_WEIGHT, NOTES_WEIGHT = 3.0, 1.0, 0.5
_TSQUERY_SQL = "SELECT ticket_id FROM search_ticketdocument WHERE document @@ '{}'::tsquery"


def fts_match(terms: Iterable[Term], *, staff: bool, required: Iterable[str] = ()) -> str:
    """An FTS5 query: every term, quoted; customers' limited to the head and public messages;
    the ``required`` filter tokens in the head."""

    def quote(text: str, prefix: bool) -> str:
        return '"{}"{}'.format(text.replace('"', '""'), "*" if prefix else "")

    quoted = " AND ".join(quote(t.text, t.prefix) for t in terms)
    words = quoted if staff else f"{{head body}} : ({quoted})"
    return " AND ".join([f"({words})", *(f"head : {quote(t, False)}" for t in required)])


def tsquery(terms: Iterable[Term], *, staff: bool, required: Iterable[str] = ()) -> str:
    """A ``tsquery`` of the tokens as they are; staff also match the notes' ``~`` tokens; the
    ``required`` filter tokens first."""

    def lexeme(text: str, prefix: bool) -> str:
        quoted = "'{}'".format(text.replace("\\", "\\\\").replace("'", "''"))
        return quoted + (":*" if prefix else "")

    parts = [lexeme(token, False) for token in required]
    for t in terms:
        public = lexeme(t.text, t.prefix)
        parts.append(f"({public} | {lexeme(NOTE_MARK + t.text, t.prefix)})" if staff else public)
    return " & ".join(parts)


def candidate_rows(
    tickets: QuerySet[Ticket], query: str, *, staff: bool, required: tuple[str, ...] = ()
) -> QuerySet[Any]:
    """The query of the most recent ``CANDIDATES`` matches: (id, created_at), newest first;
    ``required``: the filters' tokens (``tickets`` are filtered by them already).

    On SQLite the FTS5 table leads, newest id first (ids follow creation), so a common term
    stops after ``CANDIDATES`` matches that pass the filters instead of collecting all of them.
    """
    terms = query_terms(query)
    if not terms:
        found = tickets.none()
    elif connection.vendor == "postgresql":
        # The query is a literal, not a parameter: PostgreSQL plans it for its terms (walk the
        # newest tickets for a common one, the GIN index for a rare one), where a prepared
        # statement's generic plan would choose once for all.
        literal = (
            tsquery(terms, staff=staff, required=required).replace("'", "''").replace("%", "%%")
        )
        matching = tickets.filter(pk__in=RawSQL(_TSQUERY_SQL.format(literal), []))
        found = matching.order_by("-created_at", "-id")
    else:
        found = tickets.extra(  # fixed SQL; the query is a parameter
            tables=[FTS_TABLE],
            where=[f"{FTS_TABLE}.rowid = tickets_ticket.id", f"{FTS_TABLE} MATCH %s"],
            params=[fts_match(terms, staff=staff, required=required)],
            order_by=[f"-{FTS_TABLE}.rowid"],
        )
    return found.values_list("pk", "created_at")[:CANDIDATES]


def candidates(
    tickets: QuerySet[Ticket], query: str, *, staff: bool, required: tuple[str, ...] = ()
) -> list[tuple[int, datetime]]:
    return list(candidate_rows(tickets, query, staff=staff, required=required))


def ranked_ids(
    tickets: QuerySet[Ticket], query: str, *, staff: bool, required: tuple[str, ...] = ()
) -> list[int]:
    """Ids of the matching tickets, most relevant first, then the newest (see the module)."""
    found = candidates(tickets, query, staff=staff, required=required)
    terms = query_terms(query)
    fields = TicketDocument.objects.filter(pk__in=[pk for pk, _ in found])
    scores = {
        pk: relevance(terms, head, body, notes if staff else "")
        for pk, head, body, notes in fields.values_list("pk", "head", "body", "notes")
    }
    ordered = sorted(found, key=lambda row: (scores.get(row[0], 0.0), row[1], row[0]), reverse=True)
    return [pk for pk, _ in ordered]


def in_order(ids: list[int]) -> RawSQL:
    """An ordering of tickets by their place in ``ids`` (a list of 200 ``When`` costs Django
    ~50 ms to compile; this is one parameter)."""
    if connection.vendor == "postgresql":
        return RawSQL('array_position(%s::bigint[], "tickets_ticket"."id")', [ids])
    return RawSQL(
        """instr(%s, ',' || "tickets_ticket"."id" || ',')""", [f",{','.join(map(str, ids))},"]
    )


def relevance(terms: Iterable[Term], head: str, body: str, notes: str) -> float:
    """How well a document matches: per term, its occurrences in each field, dampened."""
    padded = [(f" {text}", weight) for text, weight in (
        (head, HEAD_WEIGHT), (body, BODY_WEIGHT), (notes, NOTES_WEIGHT))]  # fmt: skip
    score = 0.0
    for term in terms:
        needle = f" {term.text}" if term.prefix else f" {term.text} "
        for text, weight in padded:
            hits = (text + " ").count(needle)
            score += weight * math.log1p(hits)
    return score


def snippets(ids: Iterable[int], query: str, *, staff: bool) -> dict[int, str]:
    """Per ticket, escaped HTML with ``<mark>``: the first of its subject and its messages
    (public ones, and internal ones for staff) that shows a match."""
    ids = list(ids)
    texts: dict[int, list[str]] = defaultdict(list)
    for pk, subject in Ticket.objects.filter(pk__in=ids).values_list("pk", "subject"):
        texts[pk].append(subject)
    messages = Message.objects.filter(ticket_id__in=ids).order_by("created_at", "id")
    if not staff:
        messages = messages.filter(is_internal=False)
    for ticket_id, body in messages.values_list("ticket_id", "body"):
        texts[ticket_id].append(body)
    found = {}
    for pk, candidates_ in texts.items():
        marked = (snippet(text, query) for text in candidates_)
        first = next((text for text in marked if "<mark>" in text), None)
        if first is not None:
            found[pk] = first
    return found
