"""A covering index for the backlog on PostgreSQL: the tickets still unresolved from before
the last week are summed from the daily buckets, every day of them; this index holds what that
sum reads (an index-only scan instead of reading each bucket row). SQLite has no INCLUDE."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS bucket_unresolved ON reports_dailybucket (day) "
    "INCLUDE (team_id, channel, tier, language, unresolved) WHERE unresolved > 0"
)


def create(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS bucket_unresolved")


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_daily_buckets")]

    operations = [migrations.RunPython(create, drop)]
