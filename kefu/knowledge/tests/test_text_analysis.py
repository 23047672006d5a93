"""Queries become index terms: Latin stems, CJK trigrams, and 1–2 character terms (pure)."""

from kefu.knowledge.text import highlight_terms, plain_text, query_terms, stem, tokens


def test_english_words_are_folded_stemmed_and_stop_words_dropped():
    assert tokens("The REFUNDS were Declined!") == ["refund", "declin"]
    assert stem("policies") == "polic" and stem("card") == "card"
    assert query_terms("Ｒｅｆｕｎｄ") == query_terms("refund")  # full-width folds


def test_chinese_runs_become_trigrams_and_short_runs_stay_whole():
    terms = query_terms("银行卡支付失败怎么办")
    assert terms.trigram == ("银行卡", "行卡支", "卡支付", "支付失", "付失败")
    assert terms.short == ()
    assert query_terms("退款").short == ("退款",)
    assert query_terms("税").short == ("税",)


def test_mixed_text_keeps_error_codes_whole():
    terms = query_terms("报错 AE-ERR-403 没有权限")
    assert "ae-err-403" in terms.trigram
    assert "没有权" in terms.trigram and "报错" in terms.short


def test_highlight_terms_use_chinese_bigrams():
    assert highlight_terms("退款到账") == ["退款", "款到", "到账"]


def test_markdown_becomes_plain_text():
    text = plain_text(
        "## Steps\n1. Open **Orders**\n2. Click `Refund`\n\n| a | b |\n|---|---|\n| c | d |"
    )
    assert text.splitlines()[:3] == ["Steps", "Open Orders", "Click Refund"]
    assert "*" not in text and "`" not in text


def test_words_of_other_alphabets_are_folded_stemmed_and_stop_words_dropped():
    assert tokens("¿Cómo solicito un REEMBOLSO de mis pedidos?") == [
        "solicito",
        "reembolso",
        "pedido",
    ]
    assert tokens("Как вернуть деньги за заказы?") == ["вернут", "деньг", "заказ"]
    assert tokens("Rückerstattung für meine Bestellung") == ["rückerstattung", "bestellung"]


def test_arabic_is_normalised_and_loses_its_article():
    # Alef with hamza, diacritics and tatweel fold away; "ال" (the) and "وال" (and the) go.
    assert tokens("أريد الاسْتـرداد والشحن") == ["اريد", "استرداد", "شحن"]
    assert query_terms("إلغاء") == query_terms("الغاء")


def test_kana_and_hangul_runs_become_trigrams_like_chinese():
    assert query_terms("返金を申請したいです").trigram == ("返金を", "金を申", "を申請")
    assert query_terms("환불 신청하나요").trigram == ("신청하", "청하나", "하나요")
    assert query_terms("환불 신청하나요").short == ("환불",)
