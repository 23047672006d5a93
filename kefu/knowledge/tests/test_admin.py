"""Operators edit articles in the Django admin, with a rendered preview and (un)publish actions."""

import pytest
from django.test import Client

from kefu.knowledge.models import Article, ArticleStatus


@pytest.fixture
def admin_client(personas) -> Client:
    client = Client()
    client.force_login(personas.ada)  # Ada is the admin persona
    return client


def test_customers_and_agents_cannot_edit_articles(shipped, personas):
    for user in (personas.anna, personas.alice):
        client = Client()
        client.force_login(user)
        assert client.get("/admin/knowledge/article/").status_code == 302  # to the admin login


def test_the_article_admin_lists_edits_and_previews(shipped, admin_client):
    article = Article.objects.get(slug="payment-card-declined", language="en")
    assert admin_client.get("/admin/knowledge/article/?q=declined").status_code == 200
    page = admin_client.get(f"/admin/knowledge/article/{article.pk}/change/").content.decode()
    assert 'class="kb-preview"' in page and "<h2>Check these first</h2>" in page


def test_unpublishing_from_the_admin_takes_the_article_out_of_search(shipped, admin_client):
    from kefu.knowledge.search import search_articles

    article = Article.objects.get(slug="payment-card-declined", language="en")
    assert search_articles("card declined", "en", 1)[0].article == article
    admin_client.post(
        "/admin/knowledge/article/",
        {"action": "unpublish", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT
    assert article not in [hit.article for hit in search_articles("card declined", "en", 10)]
