"""The index's tokens (``search.tokens``), pure: CJK bigrams, stems, exact codes and e-mails."""

from __future__ import annotations

from kefu.search.tokens import Term, document, query_terms, tokens


def test_chinese_becomes_overlapping_bigrams_and_its_last_character():
    assert list(tokens("申请退款")) == ["申请", "请退", "退款", "款"]
    assert list(tokens("票")) == ["票"]
    assert list(tokens("发票。物流")) == ["发票", "票", "物流", "流"]  # punctuation ends a run


def test_english_words_are_folded_stemmed_and_stop_words_dropped():
    assert list(tokens("The REFUNDS were refunded")) == ["refund", "refund"]
    assert list(tokens("Ｓｈｉｐｐｉｎｇ shipped")) == ["ship", "ship"]  # full-width folded


def test_codes_and_emails_stay_whole_with_their_parts():
    assert list(tokens("AE-ERR-403")) == ["ae-err-403", "ae", "err", "403"]
    assert list(tokens("Anna@Acme.test")) == ["anna@acme.test", "anna", "acme.test"]
    assert list(tokens("SF1234567890")) == ["sf1234567890"]


def test_mixed_text_keeps_its_order_and_a_document_is_space_joined():
    assert document(["退款 refunds PO-77", "物流"]) == "退款 款 refund po-77 po 77 物流 流"


def test_a_query_asks_for_bigrams_stems_and_whole_codes():
    assert query_terms("退款申请 refunds AE-ERR-403 anna@acme.test") == (
        Term("退款"), Term("款申"), Term("申请"), Term("refund"), Term("ae-err-403"),
        Term("anna@acme.test"),
    )  # fmt: skip
    assert query_terms("发") == (Term("发", prefix=True),)
    assert query_terms("the ， 。") == ()


def test_queries_are_bounded():
    assert len(query_terms("字" * 5000)) <= 24
