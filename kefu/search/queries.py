"""Ticket search over the index: matching tickets ranked by relevance, then recency, with
highlighted snippets. The caller passes tickets already scoped to the viewer and filtered
(``tickets.queries.list_tickets``), so search can never widen what someone sees; customers'
queries never reach the internal notes' tokens.

Ranking a common word cannot touch all its matches: 发票 may be in a third of a million
tickets, and no index ranks 300,000 rows in 50 ms. So relevance ranks only the newest
``CANDIDATES`` matches, by id (ids follow creation; on both databases), and Python scores those
few hundred by where the terms occur (the ticket's own fields weigh three times a message).
Older matches of a common word are found by adding words or filters.

SQLite walks the FTS5 matches newest first. PostgreSQL reads windows of ids, newest first,
sized from how common the tokens are (``search.frequencies``, from its own statistics): a
common word's first window is the newest few thousand documents, walked by primary key (in id
order on disk, ~1 µs a document); a rarer word's, or a filtered search's, is wider and
intersected with the GIN index's matches, so only the documents in it are read; a rare term
(an order id, an e-mail) reads the GIN index alone. The planner cannot choose this itself: it
takes a query's terms as independent, so 退款申请's three bigrams (nearly always together) look
600 times rarer than they are, and it decoded the GIN lists of 退款 and 申请 (50 ms) where walking
2,500 documents takes 2 ms. A window that holds too few matches (a scope the index does not
hold, an agent's teams) is followed by one sized from the matches it found.

The filters are in the index as well (``search.tokens.filter_token``): the caller passes their
tokens as ``required`` and they are ANDed into the match, so the full-text index narrows by
them instead of the database checking the filters ticket by ticket.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from kefu.knowledge.text import snippet
from kefu.search import frequencies
from kefu.search.models import TicketDocument
from kefu.search.tokens import Term, query_terms
from kefu.tickets.models import Message, Ticket

CANDIDATES = 200
# How many of the GIN index's newest matches in a window a step reads the tickets of: twice the
# candidates, so that the tickets' filters not in the index (an agent's teams) rarely leave too
# few (then the step goes on below them, ``_below``).
KEPT = 2 * CANDIDATES
# A window of at most this many ids is walked by primary key (~1 µs a document, in id order on
# disk) rather than intersected with the GIN index (decoding a common word's list: 10-50 ms).
WALK_IDS = 20_000
FTS_TABLE = "search_ticketdocument_fts"
NOTE_MARK = frequencies.NOTE_MARK
HEAD_WEIGHT, BODY_WEIGHT, NOTES_WEIGHT = 3.0, 1.0, 0.5


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


@dataclass(frozen=True)
class Window:
    """The tickets a PostgreSQL search step reads, by id: from ``lowest`` (None: the first) to
    below ``above`` (None: the newest); ``walk``: check each document in it by primary key, newest
    first, instead of intersecting it with the GIN index's matches."""

    lowest: int | None = None
    above: int | None = None
    walk: bool = False


def candidate_rows(
    tickets: QuerySet[Ticket],
    query: str,
    *,
    staff: bool,
    required: tuple[str, ...] = (),
    window: Window = Window(),
) -> QuerySet[Any]:
    """The query of the newest ``CANDIDATES`` matches: (id, created_at), highest id first (ids
    follow creation); ``required``: the filters' tokens (``tickets`` are filtered by them
    already); on PostgreSQL, in ``window`` only (and for an index window, among its
    ``KEPT`` newest matches: ``_below`` says whether more match below them).

    On SQLite the FTS5 table leads, newest id first, so a common term stops after
    ``CANDIDATES`` matches that pass the filters instead of collecting all of them.
    """
    terms = query_terms(query)
    if not terms:
        found = tickets.none()
    elif connection.vendor == "postgresql":
        sql = _documents_sql(terms, staff=staff, required=required, window=window)
        if not window.walk:
            # The index's newest matches are collected first (an InitPlan), then their tickets
            # read by id: joined straight to the tickets, PostgreSQL counted on the LIMIT and
            # merged them with the tickets' primary key from the newest down, all of it when
            # there were fewer matches than the LIMIT (an e-mail's 179: 390 ms).
            sql = f"SELECT unnest(ARRAY({sql} ORDER BY ticket_id DESC LIMIT {KEPT}))"
        found = tickets.filter(pk__in=RawSQL(sql, [])).order_by("-pk")
    else:
        found = tickets.extra(  # fixed SQL; the query is a parameter
            tables=[FTS_TABLE],
            where=[f"{FTS_TABLE}.rowid = tickets_ticket.id", f"{FTS_TABLE} MATCH %s"],
            params=[fts_match(terms, staff=staff, required=required)],
            order_by=[f"-{FTS_TABLE}.rowid"],
        )
    return found.values_list("pk", "created_at")[:CANDIDATES]


def _documents_sql(
    terms: tuple[Term, ...], *, staff: bool, required: tuple[str, ...], window: Window
) -> str:
    """The ids of the documents in ``window`` that match. The query is a literal, not a
    parameter: PostgreSQL plans it for its terms, where a prepared statement's generic plan
    would choose once for all. ``ts_match_vq`` is what ``@@`` calls, but no index serves a
    function: PostgreSQL walks the window by primary key rather than decode the GIN index's list
    of a word in a third of the documents."""
    every = _literal(tsquery(terms, staff=staff, required=required))
    match = f"ts_match_vq(document, {every})"
    if not window.walk:
        known = frequencies.frequencies()
        rare_terms, rare_tokens = (
            known.rarest(terms, staff=staff, required=required) if known else (terms, required)
        )
        rarest = _literal(tsquery(rare_terms, staff=staff, required=rare_tokens))
        match = f"document @@ {rarest}" + (f" AND {match}" if rarest != every else "")
    sql = f"SELECT ticket_id FROM search_ticketdocument WHERE {match}"
    if window.lowest is not None:
        sql += f" AND ticket_id >= {int(window.lowest)}"
    if window.above is not None:
        sql += f" AND ticket_id < {int(window.above)}"
    return sql


def _below(query: str, *, staff: bool, required: tuple[str, ...], window: Window) -> int | None:
    """The lowest id an index step kept, if it kept ``KEPT`` (more may match below it)."""
    sql = _documents_sql(query_terms(query), staff=staff, required=required, window=window)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), min(ticket_id) FROM ({sql} ORDER BY ticket_id DESC "
            f"LIMIT {KEPT}) AS kept".replace("%%", "%")
        )
        row = cursor.fetchone()
    return int(row[1]) if row and row[0] == KEPT else None


def _literal(query: str) -> str:
    """A tsquery as an SQL literal (``%`` doubled: Django formats raw SQL)."""
    return "'{}'::tsquery".format(query.replace("'", "''").replace("%", "%%"))


def candidates(
    tickets: QuerySet[Ticket],
    query: str,
    *,
    staff: bool,
    required: tuple[str, ...] = (),
    span: int | None = None,
) -> list[tuple[int, datetime]]:
    """The newest ``CANDIDATES`` matches (see ``candidate_rows``). On PostgreSQL, window by
    window of ids, newest first: ``span`` ids first (by default from the terms' frequencies,
    ``first_span``), then as many as the matches found so far say ``CANDIDATES`` need."""
    if connection.vendor != "postgresql":
        return list(candidate_rows(tickets, query, staff=staff, required=required))
    newest = _newest_id()
    if span is None:
        span = first_span(query, staff=staff, required=required, newest=newest)
    found: list[tuple[int, datetime]] = []
    window = next_window(newest, None, span)
    with _serial():
        while True:
            rows = candidate_rows(tickets, query, staff=staff, required=required, window=window)
            found += rows[: CANDIDATES - len(found)]
            if len(found) >= CANDIDATES:
                return found
            below = None if window.walk else _below(query, staff=staff, required=required,
                                                    window=window)  # fmt: skip
            if below is not None:  # the rest of the window, below what the step kept
                window = Window(window.lowest, below)
            elif window.lowest is None or span is None:
                return found
            else:
                span = next_span(len(found), newest + 1 - window.lowest, span)
                window = next_window(newest, window.lowest, span)


@contextmanager
def _serial() -> Iterator[None]:
    """No parallel workers for the steps: each reads a few hundred documents, and starting a
    worker (3-10 ms on two busy cores) cost more than it saved (an order id: 9 ms, 1 ms without).
    The setting is the transaction's (``set_config`` local) and put back afterwards."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_parallel_workers_per_gather'), "
            "set_config('max_parallel_workers_per_gather', '0', true)"
        )
        row = cursor.fetchone()
        try:
            yield
        finally:
            cursor.execute(
                "SELECT set_config('max_parallel_workers_per_gather', %s, true)", [row[0]]
            )


def first_span(query: str, *, staff: bool, required: tuple[str, ...], newest: int) -> int | None:
    """How many of the newest ids should hold ``frequencies.WANTED`` matches; None: read the
    GIN index alone (a rare term, or no statistics yet)."""
    known = frequencies.frequencies()
    terms = query_terms(query)
    if known is None or not terms:
        return None
    return frequencies.first_span(known.share(terms, staff=staff, required=required), newest)


def first_window(query: str, *, staff: bool, required: tuple[str, ...] = ()) -> Window:
    """The window a PostgreSQL search reads first (``bench/search.py`` checks its plan)."""
    newest = _newest_id()
    return next_window(newest, None, first_span(query, staff=staff, required=required,
                                                newest=newest))  # fmt: skip


def next_window(newest: int, above: int | None, span: int | None) -> Window:
    """``span`` ids below ``above`` (None: the newest), walked if that is at most ``WALK_IDS``;
    all of them when ``span`` is None or reaches the first id."""
    top = newest + 1 if above is None else above
    if span is None:
        return Window(None, above)
    lowest = top - span if top - span > 1 else None
    return Window(lowest, above, walk=span <= WALK_IDS)


def next_span(found: int, read: int, span: int) -> int:
    """The next window's size after ``read`` ids held ``found`` matches: twice what the rest of
    the candidates need at that rate, or eight times the last if none."""
    if not found:
        return span * 8
    return math.ceil(2 * (CANDIDATES - found) * read / found)


def _newest_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(ticket_id) FROM search_ticketdocument")
        row = cursor.fetchone()
    return int(row[0] or 0) if row else 0


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
