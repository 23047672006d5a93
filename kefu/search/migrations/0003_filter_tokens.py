"""The documents hold the tickets' filter attributes now (``search.documents.FILTER_COLUMNS``):
rebuild every document, as ``kefu rebuild_ticket_index`` does.

On PostgreSQL, with the filter tokens in (common lexemes: ``@status.resolved`` is in most
documents) and the default statistics target, the planner took an order id or an e-mail for a
common lexeme and walked the newest tickets to find its one match (2 s at 1M tickets). With a
target of 1000 it keeps the frequencies of ten times as many lexemes, estimates such a lexeme
at ~150 rows and reads the GIN index.
"""

from django.db import migrations

from kefu.search.documents import build_documents

STATISTICS = "ALTER TABLE search_ticketdocument ALTER COLUMN document SET STATISTICS {}"


def set_statistics(target: int):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(STATISTICS.format(target))

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_index_existing_tickets")]
    operations = [
        migrations.RunPython(set_statistics(1000), set_statistics(-1)),
        migrations.RunPython(build_documents, migrations.RunPython.noop),
    ]
