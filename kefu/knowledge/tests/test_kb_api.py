"""/api/v1/kb: public, read-only, paginated; search ranked with snippets; localized 422s."""

import pytest
from django.test import Client

from kefu.knowledge.models import Article, ArticleStatus

ZH = {"Accept-Language": "zh-CN"}


@pytest.fixture
def client() -> Client:
    return Client()  # anonymous: the help centre's API needs no token


def test_list_is_public_paginated_and_published_only(shipped, make_article, client):
    make_article("secret-draft", "en", status=ArticleStatus.DRAFT)
    first = client.get("/api/v1/kb/articles?lang=en&page_size=20").json()
    second = client.get("/api/v1/kb/articles?lang=en&page_size=20&page=3").json()
    published = Article.objects.filter(language="en", status=ArticleStatus.PUBLISHED).count()
    assert first["count"] == published > 40  # the draft is not counted
    assert len(first["results"]) == 20 and len(second["results"]) == published - 40
    slugs = {a["slug"] for a in first["results"]} | {a["slug"] for a in second["results"]}
    assert "secret-draft" not in slugs
    item = first["results"][0]
    assert set(item) >= {"slug", "language", "title", "category", "keywords", "url", "helpful"}
    assert item["url"] == f"/help/{item['slug']}/?lang=en"


def test_list_defaults_to_the_request_language_and_filters_by_category(shipped, client):
    results = client.get("/api/v1/kb/articles?category=payment_billing", headers=ZH).json()
    assert results["count"] >= 5
    assert {a["language"] for a in results["results"]} == {"zh"}
    assert {a["category"] for a in results["results"]} == {"payment_billing"}


def test_article_detail_with_rendered_body_and_language_fallback(shipped, make_article, client):
    article = client.get("/api/v1/kb/articles/refund-timelines?lang=zh").json()
    assert article["title"] == "退款多久能到账？" and article["is_fallback"] is False
    assert article["body"].startswith(article["body"].lstrip()) and "<" in article["body_html"]
    make_article("only-english", "en", title="Only in English")
    fallback = client.get("/api/v1/kb/articles/only-english?lang=zh").json()
    assert fallback["language"] == "en" and fallback["is_fallback"] is True


def test_missing_and_draft_articles_are_404(shipped, make_article, client):
    make_article("draft-only", "en", status=ArticleStatus.DRAFT)
    for slug in ("no-such-article", "draft-only"):
        response = client.get(f"/api/v1/kb/articles/{slug}", headers=ZH)
        assert response.status_code == 404
        assert response.json() == {"detail": "未找到。", "code": "not_found"}


def test_search_is_ranked_with_scores_and_escaped_snippets(shipped, client):
    body = client.get("/api/v1/kb/search", {"q": "银行卡付款失败", "lang": "zh"}).json()
    results = body["results"]
    assert body["query"] == "银行卡付款失败"
    assert results[0]["slug"] == "payment-card-declined" and results[0]["language"] == "zh"
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    assert "<mark>" in results[0]["snippet_html"]
    assert client.get("/api/v1/kb/search?q=refund&lang=en&limit=2").json()["results"].__len__() == 2


def test_validation_errors_name_the_field_in_the_callers_language(shipped, client):
    response = client.get("/api/v1/kb/search?lang=zh", headers=ZH)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "q"] and error["msg"].endswith("此项为必填项。")
    response = client.get("/api/v1/kb/articles?page=0&lang=xx", headers=ZH)
    errors = {e["field"]: e["msg"] for e in response.json()["detail"]}
    assert errors["page"] == "页码：请输入不小于 1 的数。"
    assert errors["lang"].startswith("语言：请从以下选项中选择")
    response = client.get("/api/v1/kb/articles?category=nope", headers=ZH)
    [error] = response.json()["detail"]
    assert response.status_code == 422 and error["loc"] == ["query", "category"]
    assert "未知的分类“nope”" in error["msg"]


def test_the_api_is_read_only(shipped, client):
    assert (
        client.post("/api/v1/kb/articles", {}, content_type="application/json").status_code == 405
    )
    assert client.delete("/api/v1/kb/articles/refund-timelines").status_code == 405
