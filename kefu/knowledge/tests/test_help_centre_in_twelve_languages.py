"""The help centre shows an article in any of the 12 languages (its own lang, right-to-left for
Arabic) and lists the articles of one language on request; the site's own language switch and
pages stay Chinese and English. The API takes the 12 language codes."""

import re

from django.test import Client

ARABIC_BODY = "عند تأخر تحديث التتبع، انتظر ثلاثة أيام عمل ثم تواصل معنا."


def test_an_arabic_article_is_right_to_left_in_a_site_that_stays_english(db, make_article):
    make_article("tracking-demo", "ar", title="لماذا لا يتحدث التتبع؟", body=ARABIC_BODY)
    page = Client().get("/help/tracking-demo/?lang=ar").content.decode()
    assert '<article class="card kb-article" lang="ar" dir="rtl">' in page
    assert "لماذا لا يتحدث التتبع؟" in page and ARABIC_BODY in page
    assert '<html lang="en">' in page
    switch = re.search(r'<select name="language".*?</select>', page, re.S)
    assert switch and re.findall(r'value="([^"]+)"', switch.group()) == ["en", "zh-hans"]


def test_a_spanish_article_is_left_to_right_and_links_the_english_one(db, make_article):
    make_article("refund-demo", "es", title="Cómo pedir un reembolso")
    make_article("refund-demo", "en", title="How to ask for a refund")
    page = Client().get("/help/refund-demo/?lang=es").content.decode()
    assert 'lang="es" dir="ltr"' in page and "Cómo pedir un reembolso" in page
    assert "/help/refund-demo/?lang=en" in page


def test_the_article_list_can_show_one_language(db, make_article):
    make_article("refund-demo", "es", title="Cómo pedir un reembolso")
    make_article("refund-demo", "en", title="How to ask for a refund")
    make_article("english-only", "en", title="English only article")
    spanish = Client().get("/help/", {"lang": "es"}).content.decode()
    assert "Cómo pedir un reembolso" in spanish
    assert "How to ask for a refund" not in spanish and "English only article" not in spanish
    assert 'href="/help/?lang=es" lang="es" aria-current="page">Español</a>' in spanish
    every = Client().get("/help/").content.decode()
    assert "How to ask for a refund" in every and "English only article" in every
    assert Client().get("/help/", {"lang": "xx"}).status_code == 200  # unknown: the site's


def test_the_api_lists_and_searches_articles_in_the_12_languages(db, make_article):
    make_article("refund-demo", "es", title="Cómo pedir un reembolso", keywords="reembolso")
    make_article("refund-demo", "en", title="How to ask for a refund", keywords="refund")
    listed = Client().get("/api/v1/kb/articles", {"lang": "es", "page_size": 100}).json()
    assert "Cómo pedir un reembolso" in [a["title"] for a in listed["results"]]
    assert {a["language"] for a in listed["results"]} == {"es"}
    found = Client().get("/api/v1/kb/search", {"q": "reembolso", "lang": "es"}).json()
    assert ("refund-demo", "es") in [(hit["slug"], hit["language"]) for hit in found["results"]]
    assert {hit["language"] for hit in found["results"]} == {"es"}
    assert Client().get("/api/v1/kb/articles", {"lang": "xx"}).status_code == 422
