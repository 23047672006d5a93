"""The bot's language detection: the 12 languages from a one-line question, the caller's
fallback for text too short to tell, one detector per process however many threads ask."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from kefu.lib import language

QUESTIONS = {
    "zh": ["我的快递三天没更新了", "保证金什么时候解冻", "打面单报AE-ERR-409是什么意思"],
    "en": ["how do I get a refund", "can i reach your team on wechat", "card declined at checkout"],
    "es": ["¿Cómo solicito un reembolso?", "me rechazaron la tarjeta al pagar"],
    "ru": ["Как вернуть деньги за заказ?", "посылка не отслеживается"],
    "pt": ["meu pedido não atualiza há dias", "o cartão foi recusado na compra"],
    "fr": ["Comment demander un remboursement ?", "ma carte a été refusée"],
    "ar": ["كيف أطلب استرداد المبلغ؟", "تم رفض بطاقتي"],
    "ko": ["환불은 어떻게 신청하나요?", "배송 조회가 안 돼요"],
    "ja": ["返金はどうやって申請しますか", "カードが拒否されました"],
    "de": ["Wie beantrage ich eine Rückerstattung?", "Karte wurde abgelehnt"],
    "it": ["Come chiedo un rimborso?", "la carta è stata rifiutata"],
    "tr": ["Para iadesi nasıl talep edilir?", "kartım reddedildi"],
}


@pytest.mark.parametrize(
    ("lang", "text"), [(lang, text) for lang, texts in QUESTIONS.items() for text in texts]
)
def test_a_question_is_detected_in_its_language(lang, text):
    assert language.detect(text) == lang


@pytest.mark.parametrize("text", ["ok", "hi", "👍👍", "KF-2024-000123", "  ", "https://x.io/a1"])
def test_text_too_short_to_tell_gets_the_fallback(text):
    assert language.detect(text, "es") == "es"
    assert language.detect(text) is None


def test_codes_and_addresses_do_not_count_as_words():
    assert language.letters("订单 PO-2231 ana@example.com 没到 https://t.cn/x9") == "订单 没到"


def test_the_detector_is_built_once_for_all_threads(monkeypatch):
    monkeypatch.setattr(language, "_detector", None)
    with ThreadPoolExecutor(max_workers=8) as pool:
        detectors = list(pool.map(lambda _: language.detector(), range(16)))
    assert len({id(detector) for detector in detectors}) == 1
