from django.db import migrations


def create_sequence(apps, schema_editor):
    # PostgreSQL numbers tickets from a sequence (see tickets/numbering.py); SQLite needs none.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS tickets_number_seq")


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS tickets_number_seq")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0002_seed_categories")]
    operations = [migrations.RunPython(create_sequence, drop_sequence)]
