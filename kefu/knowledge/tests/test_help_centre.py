"""The public help centre: topics by category in the reader's language, search with snippets,
article pages with a language fallback, and one helpful / not-helpful vote per session."""

import pytest
from django.test import Client

from kefu.knowledge.models import Article

ZH = {"Accept-Language": "zh-CN"}


def test_topics_are_listed_by_category_in_the_readers_language(shipped):
    zh = Client().get("/help/", headers=ZH).content.decode()
    en = Client().get("/help/").content.decode()
    assert "支付与账单/发票" in zh and "银行卡支付被拒怎么办？" in zh
    assert "Payment, billing &amp; invoices" in en and "Why was my card payment declined?" in en
    assert "help.css" in en


def test_search_shows_results_with_marked_snippets(shipped):
    page = Client().get("/help/", {"q": "退款到账"}, headers=ZH).content.decode()
    assert "/help/refund-timelines/?lang=zh" in page
    assert "<mark>退款</mark>" in page
    empty = Client().get("/help/", {"q": "zzqqxx"}).content.decode()
    assert "Nothing matches" in empty or "0 results" in empty


def test_search_escapes_the_query(shipped):
    page = Client().get("/help/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in page


def test_article_page_renders_markdown_and_links_the_translation(shipped):
    page = Client().get("/help/payment-card-declined/?lang=zh").content.decode()
    assert "<h1>银行卡支付被拒怎么办？</h1>" in page and "<h2>" in page
    assert "/help/payment-card-declined/?lang=en" in page
    assert Client().get("/help/no-such-article/").status_code == 404


def test_an_article_missing_in_the_readers_language_falls_back(shipped, make_article):
    make_article("english-only", "en", title="English only article")
    page = Client().get("/help/english-only/", headers=ZH).content.decode()
    assert "English only article" in page and 'class="note kb-note"' in page


def test_votes_need_csrf_and_count_once_per_session(shipped):
    client = Client(enforce_csrf_checks=True)
    article = Article.objects.get(slug="refund-timelines", language="en")
    url = "/help/refund-timelines/vote/"
    assert client.post(url, {"lang": "en", "helpful": "yes"}).status_code == 403
    client.get(article.get_absolute_url())
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"lang": "en", "helpful": "yes", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    client.post(url, {"lang": "en", "helpful": "no", "csrfmiddlewaretoken": token})
    article.refresh_from_db()
    assert (article.helpful_count, article.not_helpful_count) == (1, 0)
    assert "Thank you for your feedback." in client.get(article.get_absolute_url()).content.decode()


def test_another_session_votes_separately_and_htmx_gets_a_fragment(shipped):
    article = Article.objects.get(slug="refund-timelines", language="zh")
    response = Client().post(
        "/help/refund-timelines/vote/",
        {"lang": "zh", "helpful": "no"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and 'id="kb-vote"' in response.content.decode()
    assert "<html" not in response.content.decode()
    article.refresh_from_db()
    assert article.not_helpful_count == 1


@pytest.mark.django_db
def test_voting_on_an_unknown_article_is_404():
    assert Client().post("/help/nothing/vote/", {"lang": "en"}).status_code == 404
    assert Client().get("/help/nothing/vote/").status_code == 405
