"""The ticket search index, per database vendor (see ``search.models``).

SQLite: an external-content FTS5 table over ``head``, ``body`` and ``notes``, kept in step by
triggers. Its ``unicode61`` tokenizer only splits at spaces here, the documents being tokens
already (``search.tokens.TOKEN_CHARS`` are token characters, CJK bigrams are letters). When a
later migration alters ``search_ticketdocument``, Django's SQLite schema editor rebuilds the
table and loses its triggers: such a migration must recreate them and rebuild the index.

PostgreSQL: a generated ``tsvector`` column made of the tokens as they are
(``array_to_tsvector``, no parser, no dictionary), with a GIN index. The tokens of internal notes
are stored with a ``~`` in front, so a customer's query cannot match them and a staff query asks
for ``token | ~token``.
"""

import django.db.models.deletion
from django.db import migrations, models


SQLITE_STATEMENTS = (
    "CREATE VIRTUAL TABLE search_ticketdocument_fts USING fts5(head, body, notes, "
    "content='search_ticketdocument', content_rowid='ticket_id', "
    "tokenize=\"unicode61 remove_diacritics 0 tokenchars '-_./@%+'\")",
    "CREATE TRIGGER search_ticketdocument_ai AFTER INSERT ON search_ticketdocument BEGIN "
    "INSERT INTO search_ticketdocument_fts(rowid, head, body, notes) "
    "VALUES (new.ticket_id, new.head, new.body, new.notes); END",
    "CREATE TRIGGER search_ticketdocument_ad AFTER DELETE ON search_ticketdocument BEGIN "
    "INSERT INTO search_ticketdocument_fts(search_ticketdocument_fts, rowid, head, body, notes) "
    "VALUES ('delete', old.ticket_id, old.head, old.body, old.notes); END",
    "CREATE TRIGGER search_ticketdocument_au AFTER UPDATE ON search_ticketdocument BEGIN "
    "INSERT INTO search_ticketdocument_fts(search_ticketdocument_fts, rowid, head, body, notes) "
    "VALUES ('delete', old.ticket_id, old.head, old.body, old.notes); "
    "INSERT INTO search_ticketdocument_fts(rowid, head, body, notes) "
    "VALUES (new.ticket_id, new.head, new.body, new.notes); END",
)
SQLITE_DROP = ("DROP TABLE IF EXISTS search_ticketdocument_fts",)
POSTGRES_STATEMENTS = (
    "ALTER TABLE search_ticketdocument ADD COLUMN document tsvector GENERATED ALWAYS AS ("
    "array_to_tsvector(string_to_array(head, ' ')) || "
    "array_to_tsvector(string_to_array(body, ' ')) || "
    "array_to_tsvector(string_to_array(regexp_replace(notes, '(\\S+)', '~\\1', 'g'), ' '))"
    ") STORED",
    "CREATE INDEX search_ticketdocument_gin ON search_ticketdocument USING gin (document)",
)
POSTGRES_DROP = (
    "DROP INDEX IF EXISTS search_ticketdocument_gin",
    "ALTER TABLE search_ticketdocument DROP COLUMN IF EXISTS document",
)


def _run(schema_editor, statements) -> None:
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def create_index(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    _run(schema_editor, {"sqlite": SQLITE_STATEMENTS, "postgresql": POSTGRES_STATEMENTS}[vendor])


def drop_index(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}[vendor])


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('tickets', '0007_customer_requests'),
    ]

    operations = [
        migrations.CreateModel(
            name='TicketDocument',
            fields=[
                ('ticket', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_document', serialize=False, to='tickets.ticket')),
                ('head', models.TextField(blank=True)),
                ('body', models.TextField(blank=True)),
                ('notes', models.TextField(blank=True)),
            ],
        ),
        migrations.RunPython(create_index, drop_index),
    ]
