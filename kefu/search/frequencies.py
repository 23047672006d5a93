"""How common the search index's tokens are on PostgreSQL, and from that how many of the newest
documents a search reads first (``search.queries``).

The numbers are PostgreSQL's own: ANALYZE keeps, per ``tsvector`` column, its most common
lexemes and the fraction of rows holding each (``pg_stats.most_common_elems``; with the
statistics target of 1000 that migration 0003 sets, about 2,000-10,000 lexemes down to ~0.2 % of
the documents). They are read once per process every ``TTL`` seconds (ANALYZE changes them,
nothing else does): no search pays for them.

The GIN index is not asked for a token in half the documents or more (``Frequencies.rarest``):
decoding the list of 贸易, in every organisation's name, costs more than checking it on the 2,000
documents that the organisation's number gives.

A query's terms go together (退款申请's bigrams 退款, 款申, 申请 are nearly always in the same
documents), so the share of documents matching them all is taken as the rarest term's; filter
tokens (``@status.open``) say nothing of the words, so their shares multiply. From that share,
``first_span`` is how many of the newest ids should hold ``WANTED`` matches.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db import connection

from kefu.lib.process_cache import ProcessCache
from kefu.search.tokens import Term

NOTE_MARK = "~"  # internal notes' tokens in the PostgreSQL document (migration 0001)
TTL = 600.0
# Matches the first step aims at: twice the candidates, so that an estimate off by half, or a
# scope that is not in the index (an agent's teams), still fills them in one step most times.
WANTED = 400
# Fewer matches expected than this (a rare term, or rare filters): the GIN index alone, each
# match's document read (~5 µs), beats intersecting it with a window of ids.
ALONE = 2_000
# A token in at least this share of the documents is not asked of the GIN index: decoding its
# list (贸易, in every organisation's name: 1M entries) costs more than checking it on the
# documents the rarer tokens give (at 1M tickets, "Nova贸易 91": 10-14 ms → 2-6 ms).
COMMON = 0.5
_STATISTICS_SQL = (
    "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
    "WHERE schemaname = current_schema() AND tablename = 'search_ticketdocument' "
    "AND attname = 'document'"
)


@dataclass(frozen=True)
class Frequencies:
    """The fraction of documents holding each common token; ``floor``: the rarest listed one's.
    A token not listed is rarer than that (an order id: one document) and counts as none."""

    common: dict[str, float]
    floor: float

    def of(self, token: str, *, prefix: bool = False) -> float:
        if not prefix:
            return self.common.get(token, 0.0)
        # A prefix matches each token it starts: at most the sum of theirs.
        listed = (share for known, share in self.common.items() if known.startswith(token))
        return min(1.0, sum(listed))

    def term(self, term: Term, *, staff: bool) -> float:
        """A query term's share: staff also match the internal notes' ``~`` tokens."""
        share = self.of(term.text, prefix=term.prefix)
        if staff:
            share += self.of(NOTE_MARK + term.text, prefix=term.prefix)
        return min(1.0, share)

    def rarest(
        self, terms: tuple[Term, ...], *, staff: bool, required: tuple[str, ...]
    ) -> tuple[tuple[Term, ...], tuple[str, ...]]:
        """The terms and filter tokens worth asking the GIN index for: all but those in at
        least ``COMMON`` of the documents (unless that leaves none: then the rarest), which are
        checked on the documents the index gives."""
        shares: list[tuple[float, Term | str]] = [(self.term(t, staff=staff), t) for t in terms]
        shares += [(self.of(token), token) for token in required]
        kept = [item for share, item in shares if share < COMMON] or [min(shares)[1]]
        return (tuple(t for t in terms if t in kept), tuple(t for t in required if t in kept))

    def share(self, terms: tuple[Term, ...], *, staff: bool, required: tuple[str, ...]) -> float:
        """The estimated fraction of documents matching ``terms`` and the filter tokens."""
        found = min((self.term(t, staff=staff) for t in terms), default=1.0)
        for token in required:
            found *= self.of(token)
        return found


def _load() -> list[Frequencies]:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(_STATISTICS_SQL)
        row: Any = cursor.fetchone()
    if row is None or not row[0]:  # never analysed: no estimate
        return []
    lexemes, shares = row
    # The shares are followed by the lowest and the highest of them (``ts_typanalyze``).
    return [Frequencies(dict(zip(lexemes, shares, strict=False)), floor=min(shares))]


_frequencies = ProcessCache(_load, ttl=TTL)


def frequencies() -> Frequencies | None:
    """The index's token frequencies, or None where PostgreSQL has no statistics of them yet
    (or on SQLite)."""
    found = _frequencies.get()
    return found[0] if found else None


def first_span(share: float, newest: int) -> int | None:
    """How many of the newest ids the first step reads, to hold ``WANTED`` matches if
    ``share`` of the ``newest`` documents match; None: no window, the GIN index alone (too few
    matches to be worth one)."""
    if share * newest <= ALONE:
        return None
    return math.ceil(WANTED / share)
