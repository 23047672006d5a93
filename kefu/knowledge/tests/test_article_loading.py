"""The shipped articles are loaded by the migrations and by `kefu kb load`, idempotently, and
without overwriting what operators edited in the admin."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kefu.knowledge.actions import SHIPPED_ARTICLES_DIR, load_articles
from kefu.knowledge.models import Article, ArticleStatus

pytestmark = pytest.mark.django_db

SHIPPED_FILES = len(list(SHIPPED_ARTICLES_DIR.glob("*/*.md")))


def article_file(slug: str, title: str, body: str = "Body.", category: str = "other") -> str:
    return f"---\nslug: {slug}\ntitle: {title}\ncategory: {category}\nkeywords: [a, b, c]\n---\n{body}\n"


def write(root: Path, lang: str, slug: str, text: str) -> None:
    (root / lang).mkdir(parents=True, exist_ok=True)
    (root / lang / f"{slug}.md").write_text(text, encoding="utf-8")


def test_the_migration_published_every_shipped_article(shipped):
    published = Article.objects.filter(status=ArticleStatus.PUBLISHED)
    assert published.count() == SHIPPED_FILES >= 100
    shipped_languages = {path.name for path in SHIPPED_ARTICLES_DIR.iterdir() if path.is_dir()}
    assert set(published.values_list("language", flat=True)) == shipped_languages
    card = Article.objects.get(slug="payment-card-declined", language="zh")
    assert card.title == "银行卡支付被拒怎么办？" and card.category_id == "payment_billing"
    assert "支付失败" in card.keyword_list


def test_loading_again_changes_nothing(shipped):
    before = list(Article.objects.order_by("pk").values_list("pk", "updated_at"))
    report = load_articles()
    assert report.changed == 0 and len(report.unchanged) == SHIPPED_FILES
    assert list(Article.objects.order_by("pk").values_list("pk", "updated_at")) == before


def test_a_newer_file_updates_an_unedited_article_but_keeps_admin_edits(tmp_path):
    write(tmp_path, "en", "alpha", article_file("alpha", "Alpha"))
    write(tmp_path, "en", "beta", article_file("beta", "Beta"))
    assert sorted(load_articles(root=tmp_path).created) == ["alpha/en", "beta/en"]
    beta = Article.objects.get(slug="beta")
    beta.title = "Beta, edited by an operator"
    beta.save()
    write(tmp_path, "en", "alpha", article_file("alpha", "Alpha v2"))
    write(tmp_path, "en", "beta", article_file("beta", "Beta v2"))
    report = load_articles(root=tmp_path)
    assert report.updated == ["alpha/en"] and report.kept_local_edits == ["beta/en"]
    assert Article.objects.get(slug="alpha").title == "Alpha v2"
    assert Article.objects.get(slug="beta").title == "Beta, edited by an operator"
    assert load_articles(root=tmp_path, force=True).updated == ["beta/en"]
    assert Article.objects.get(slug="beta").title == "Beta v2"


def test_a_draft_stays_a_draft_when_reloaded(tmp_path):
    write(tmp_path, "zh", "gamma", article_file("gamma", "伽马"))
    load_articles(root=tmp_path)
    Article.objects.filter(slug="gamma").update(status=ArticleStatus.DRAFT)
    load_articles(root=tmp_path)
    assert Article.objects.get(slug="gamma").status == ArticleStatus.DRAFT


def test_the_command_reports_and_rejects_unknown_categories(tmp_path, shipped):
    out = StringIO()
    call_command("kb", "load", stdout=out)
    assert out.getvalue().startswith(f"created 0, updated 0, unchanged {SHIPPED_FILES},")
    write(tmp_path, "en", "delta", article_file("delta", "Delta", category="no_such_thing"))
    with pytest.raises(CommandError, match="unknown category 'no_such_thing'"):
        call_command("kb", "load", "--dir", str(tmp_path), stdout=StringIO())
    assert not Article.objects.filter(slug="delta").exists()
