"""detect_language: script ranges first, function words for Latin-script text."""

import pytest

from kefu.triage.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我的订单还没发货，麻烦查一下", "zh"),
        ("帳號被鎖住了，請幫忙解鎖", "zh"),
        ("Where is my order? It has been two weeks.", "en"),
        ("Hi, 我想问一下 refund 的事情", "zh"),  # Han majority
        ("Please check the PO status today, 谢谢", "en"),  # Latin majority
        ("订单 AE2025110700123 还没发货", "zh"),  # ids are not English words
        ("注文の状況を教えてください", "ja"),  # kana with Han is Japanese
        ("주문 상태를 알려주세요", "ko"),
        ("Где мой заказ?", "ru"),
        ("Де моє замовлення? Її немає", "uk"),
        ("أين طلبي؟", "ar"),
        ("سفارش من کجاست", "fa"),
        ("¿Dónde está mi pedido? Gracias", "es"),
        ("Bonjour, où est ma commande ? Merci", "fr"),
        ("Hallo, wo ist meine Bestellung? Danke", "de"),
        ("สวัสดีครับ", "th"),
        ("Γεια σας", "el"),
        ("שלום", "he"),
    ],
)
def test_detects_the_language(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "12345 67890", "!!!???"])
def test_text_without_letters_is_undetermined(text):
    assert detect_language(text) == "und"


def test_a_short_english_message_with_one_foreign_looking_word_stays_english():
    assert detect_language("order ok, gracias") == "en"
