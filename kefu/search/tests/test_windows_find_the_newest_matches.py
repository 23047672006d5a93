"""PostgreSQL reads a search window by window of ids, walking a window by primary key or
intersecting it with the GIN index, the first window sized from how common the tokens are
(``search.queries``, ``search.frequencies``): whatever the windows, a search finds the same
newest matches in the same order as in one pass (and as on SQLite), within the viewer's scope;
the frequencies are PostgreSQL's own statistics."""

from __future__ import annotations

import math

import pytest
from django.db import connection

from kefu.search import frequencies
from kefu.search import queries as search
from kefu.search.frequencies import Frequencies
from kefu.search.queries import Window
from kefu.search.tokens import query_terms
from kefu.testing import Personas, make_ticket
from kefu.tickets.models import Ticket
from kefu.tickets.queries import visible_tickets

SPANS = (1, 2, 3, 5, 1000)
# Windows of up to WALK_IDS ids are walked by primary key, wider ones read through the GIN
# index: 0 makes every window an index one.
walk_or_index = pytest.mark.parametrize("walk_ids", [0, search.WALK_IDS])


def _ids(found: list[tuple[int, object]]) -> list[int]:
    return [pk for pk, _ in found]


@pytest.fixture
def invoices(personas: Personas) -> list[Ticket]:
    """Twelve tickets asking for an invoice, Anna's (Acme) and Otto's (Orbit) in turn, every
    third also for a refund; and one of Anna's about something else, the newest."""
    made = []
    for n in range(12):
        body = "请开发票" + ("，还要退款" if n % 3 == 0 else "")
        made.append(make_ticket(personas.otto if n % 2 else personas.anna, body=body))
    make_ticket(personas.anna, body="包裹还没到")
    return made


def _newest_first(tickets: list[Ticket]) -> list[int]:
    return sorted((t.pk for t in tickets), reverse=True)


@walk_or_index
@pytest.mark.django_db
def test_any_windows_find_the_same_tickets_newest_first(
    personas: Personas, invoices, monkeypatch: pytest.MonkeyPatch, walk_ids: int
):
    monkeypatch.setattr(search, "WALK_IDS", walk_ids)
    everything = Ticket.objects.all()
    refunds = [t for n, t in enumerate(invoices) if n % 3 == 0]
    assert _ids(search.candidates(everything, "发票", staff=True)) == _newest_first(invoices)
    assert _ids(search.candidates(everything, "发票 退款", staff=False)) == _newest_first(refunds)
    if connection.vendor != "postgresql":
        return
    for span in SPANS:
        found = search.candidates(everything, "发票", staff=True, span=span)
        assert _ids(found) == _newest_first(invoices), span
        found = search.candidates(everything, "发票 退款", staff=False, span=span)
        assert _ids(found) == _newest_first(refunds), span


@walk_or_index
@pytest.mark.django_db
def test_windows_keep_to_the_viewers_scope_and_the_filters(
    personas: Personas, invoices, monkeypatch: pytest.MonkeyPatch, walk_ids: int
):
    monkeypatch.setattr(search, "WALK_IDS", walk_ids)
    annas = visible_tickets(personas.viewer(personas.anna))
    hers = [t for t in invoices if t.requester_id == personas.anna.pk]
    assert _ids(search.candidates(annas, "发票", staff=False)) == _newest_first(hers)
    status = f"@status.{invoices[0].status}"
    if connection.vendor != "postgresql":
        return
    for span in SPANS:
        assert _ids(search.candidates(annas, "发票", staff=False, span=span)) == _newest_first(hers)
        found = search.candidates(annas, "发票", staff=False, required=(status,), span=span)
        assert _ids(found) == _newest_first(hers)
        found = search.candidates(annas, "发票", staff=False, required=("@status.open",), span=span)
        assert found == []


@walk_or_index
@pytest.mark.django_db
def test_the_windows_stop_at_the_newest_candidates(
    personas: Personas, invoices, monkeypatch: pytest.MonkeyPatch, walk_ids: int
):
    monkeypatch.setattr(search, "WALK_IDS", walk_ids)
    monkeypatch.setattr(search, "CANDIDATES", 5)
    everything = Ticket.objects.all()
    newest = _newest_first(invoices)[:5]
    assert _ids(search.candidates(everything, "发票", staff=True)) == newest
    if connection.vendor == "postgresql":
        for span in SPANS:
            assert _ids(search.candidates(everything, "发票", staff=True, span=span)) == newest


@walk_or_index
@pytest.mark.django_db
def test_a_scope_that_passes_only_old_matches_still_finds_them(
    personas: Personas, invoices, monkeypatch: pytest.MonkeyPatch, walk_ids: int
):
    """An index step reads the tickets of its newest ``2 × CANDIDATES`` matches; when none of
    them passes, it goes on below them."""
    monkeypatch.setattr(search, "WALK_IDS", walk_ids)
    monkeypatch.setattr(search, "CANDIDATES", 2)
    oldest = sorted(t.pk for t in invoices)[:3]
    scoped = Ticket.objects.filter(pk__in=oldest)
    expected = sorted(oldest, reverse=True)[:2]
    assert _ids(search.candidates(scoped, "发票", staff=True)) == expected
    if connection.vendor == "postgresql":
        for span in SPANS:
            assert _ids(search.candidates(scoped, "发票", staff=True, span=span)) == expected


@pytest.mark.django_db
def test_a_walked_window_and_an_indexed_one_find_the_same(personas: Personas, invoices):
    if connection.vendor != "postgresql":
        pytest.skip("windows are PostgreSQL's")
    everything = Ticket.objects.all()
    ids = sorted(t.pk for t in invoices)
    lowest, above = ids[3], ids[9]  # the 4th to the 9th
    expected = sorted(ids[3:9], reverse=True)
    for walk in (True, False):
        window = Window(lowest, above, walk=walk)
        rows = search.candidate_rows(everything, "发票", staff=True, window=window)
        assert _ids(list(rows)) == expected


@pytest.mark.django_db
def test_the_frequencies_are_postgresqls_statistics(personas: Personas, invoices):
    if connection.vendor != "postgresql":
        assert frequencies.frequencies() is None
        return
    with connection.cursor() as cursor:  # ANALYZE counts this transaction's own rows
        cursor.execute("ANALYZE search_ticketdocument")
    known = frequencies.frequencies()
    assert known is not None
    assert known.of("发票") == pytest.approx(12 / 13)
    assert known.of("退款") == pytest.approx(4 / 13)
    assert known.of("no-such-token") == 0.0
    assert known.of("发", prefix=True) == pytest.approx(12 / 13)
    # Only Anna's and Otto's tickets: their organisations' shares add up.
    assert known.of(f"@organization_id.{personas.acme.pk}") == pytest.approx(7 / 13)


def test_the_rarest_term_bounds_a_query_and_filters_multiply():
    known = Frequencies({"退款": 0.37, "款申": 0.08, "申请": 0.16, "~退款": 0.01,
                         "@status.open": 0.1, "@team_id.2": 0.07, "贸易": 1.0, "nova": 0.25},
                        floor=0.002)  # fmt: skip
    words = query_terms("退款申请")
    assert known.share(words, staff=False, required=()) == pytest.approx(0.08)
    assert known.share(words, staff=False, required=("@status.open",)) == pytest.approx(0.008)
    assert known.term(query_terms("退款")[0], staff=True) == pytest.approx(0.38)
    # An organisation's number is rarer than any listed token: its name's 贸易 is left to the
    # documents the index gives, and the search reads the GIN index alone.
    organisation = query_terms("Nova贸易 91")
    kept, tokens = known.rarest(organisation, staff=False, required=("@status.open",))
    assert [t.text for t in kept] == ["nova", "91"] and tokens == ("@status.open",)
    assert known.share(organisation, staff=False, required=()) == 0.0
    assert frequencies.first_span(0.0, 1_000_000) is None
    assert known.rarest(query_terms("贸易"), staff=False, required=())[0] == query_terms("贸易")


def test_a_common_word_walks_a_few_thousand_ids_a_rarer_one_reads_the_index():
    common = frequencies.first_span(0.37, 1_000_000)
    assert common == math.ceil(frequencies.WANTED / 0.37)
    assert search.next_window(1_000_000, None, common).walk
    rarer = frequencies.first_span(0.0127, 1_000_000)
    assert rarer is not None and not search.next_window(1_000_000, None, rarer).walk
    assert frequencies.first_span(0.001, 1_000_000) is None  # 1,000 matches: the index alone
    assert search.next_window(1_000_000, None, None) == Window(None, None, walk=False)
    assert search.next_window(1_000, 600, 800) == Window(None, 600, walk=True)  # down to id 1
    # A window that found 50 of 200 in 1,000 ids: the next holds twice the 150 still wanted.
    assert search.next_span(50, 1_000, 1_000) == 6_000
    assert search.next_span(0, 1_000, 1_000) == 8_000
