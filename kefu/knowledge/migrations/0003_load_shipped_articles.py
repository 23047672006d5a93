"""Seed the knowledge base with the shipped articles (kefu/knowledge/articles/).

Later versions of the files are loaded with ``kefu kb load``; both keep operators' edits.
"""

from django.db import migrations


def load(apps, schema_editor) -> None:
    from kefu.knowledge.actions import load_articles

    Category = apps.get_model("tickets", "Category")
    load_articles(
        model=apps.get_model("knowledge", "Article"),
        category_codes=set(Category.objects.values_list("code", flat=True)),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0002_search_index"),
        ("tickets", "0002_seed_categories"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
