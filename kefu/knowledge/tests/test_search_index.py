"""The database's full-text index exists after migrating and follows every article change
(triggers on SQLite; indexes on PostgreSQL). A later migration that rebuilds the article table
on SQLite drops the triggers: this test then fails."""

import pytest
from django.db import connection

from kefu.knowledge import lexical
from kefu.knowledge.text import query_terms

pytestmark = pytest.mark.django_db


def test_the_vendor_index_is_there():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE name LIKE 'knowledge_article_fts%'"
            )
            names = {row[0] for row in cursor.fetchall()}
            assert {"knowledge_article_fts", "knowledge_article_fts_ai",
                    "knowledge_article_fts_ad", "knowledge_article_fts_au"} <= names  # fmt: skip
            assert lexical.has_fts_index()
        elif connection.vendor == "postgresql":
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'knowledge_article'")
            names = {row[0] for row in cursor.fetchall()}
            assert {"knowledge_article_trgm", "knowledge_article_tsv"} <= names
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            assert cursor.fetchone()


def test_the_lexical_index_follows_inserts_updates_and_deletes(make_article):
    def found(text, lang="zh"):
        return set(lexical.scores(query_terms(text), lang, 10))

    article = make_article("kiwi", "zh", title="猕猴桃进口检疫", body="检疫证书要提前准备。")
    assert found("猕猴桃进口") == {article.pk}
    article.title = "火龙果进口检疫"
    article.save()
    assert found("猕猴桃进口") == set()
    assert found("火龙果进口") == {article.pk}
    article.delete()
    assert found("火龙果进口") == set()


def test_lexical_scores_are_relative_to_the_best_match(make_article):
    strong = make_article("s", title="Pangolin pangolin pangolin", keywords="pangolin")
    weak = make_article("w", body="A pangolin appears once in this long body of text.")
    scores = lexical.scores(query_terms("pangolin"), "en", 10)
    assert scores[strong.pk] == 1.0 and 0 < scores[weak.pk] < 1.0


def test_without_the_index_search_falls_back_to_like_scans(monkeypatch, make_article):
    monkeypatch.setattr(lexical, "has_fts_index", lambda: False)
    monkeypatch.setattr(lexical.connection, "vendor", "other")  # neither FTS5 nor PostgreSQL SQL
    in_title = make_article("m", "zh", title="鸭嘴兽饲养许可说明")
    in_keywords = make_article("k", "zh", keywords="鸭嘴兽饲养", body="许可。")
    scores = lexical.scores(query_terms("鸭嘴兽饲养许可"), "zh", 10)
    assert set(scores) == {in_title.pk, in_keywords.pk}
    assert scores[in_title.pk] == 1.0 > scores[in_keywords.pk] > 0
