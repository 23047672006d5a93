"""Full-text indexes for knowledge-base search, per database vendor.

SQLite: an external-content FTS5 table with the trigram tokenizer (SQLite ≥ 3.34), kept in step
by triggers. Note: when a later migration alters ``knowledge_article``, Django's SQLite schema
editor rebuilds the table and its triggers are lost; such a migration must recreate them (see
``SQLITE_TRIGGERS``) and rebuild the index. ``test_search_index.py`` catches a forgotten one.

PostgreSQL: ``pg_trgm`` GIN over title, keywords and body (substring and similarity matching,
including Chinese) and a weighted ``tsvector`` GIN index (English words, stemmed).

Without the capability (old SQLite, no FTS5, no right to create the extension), the migration
logs why and search falls back to plain ``LIKE`` scans (see ``kefu/knowledge/search.py``).
"""

import logging

from django.db import DatabaseError, migrations, transaction

log = logging.getLogger("kefu.knowledge")

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_article_fts USING fts5("
    "title, keywords, body, content='knowledge_article', content_rowid='id', "
    "tokenize='trigram')"
)
_FTS_COLUMNS = "title, keywords, body"
_FTS_OLD = "'delete', old.id, old.title, old.keywords, old.body"
_FTS_NEW = "new.id, new.title, new.keywords, new.body"
SQLITE_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS knowledge_article_fts_ai AFTER INSERT ON knowledge_article "
    f"BEGIN INSERT INTO knowledge_article_fts(rowid, {_FTS_COLUMNS}) VALUES ({_FTS_NEW}); END",
    "CREATE TRIGGER IF NOT EXISTS knowledge_article_fts_ad AFTER DELETE ON knowledge_article "
    f"BEGIN INSERT INTO knowledge_article_fts(knowledge_article_fts, rowid, {_FTS_COLUMNS}) "
    f"VALUES ({_FTS_OLD}); END",
    "CREATE TRIGGER IF NOT EXISTS knowledge_article_fts_au "
    "AFTER UPDATE OF title, keywords, body ON knowledge_article "
    f"BEGIN INSERT INTO knowledge_article_fts(knowledge_article_fts, rowid, {_FTS_COLUMNS}) "
    f"VALUES ({_FTS_OLD}); "
    f"INSERT INTO knowledge_article_fts(rowid, {_FTS_COLUMNS}) VALUES ({_FTS_NEW}); END",
)
SQLITE_REBUILD = "INSERT INTO knowledge_article_fts(knowledge_article_fts) VALUES ('rebuild')"
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS knowledge_article_fts_ai",
    "DROP TRIGGER IF EXISTS knowledge_article_fts_ad",
    "DROP TRIGGER IF EXISTS knowledge_article_fts_au",
    "DROP TABLE IF EXISTS knowledge_article_fts",
)

POSTGRES_EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
POSTGRES_INDEXES = (
    "CREATE INDEX IF NOT EXISTS knowledge_article_trgm ON knowledge_article "
    "USING gin ((title || ' ' || keywords || ' ' || body) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS knowledge_article_tsv ON knowledge_article USING gin (("
    "setweight(to_tsvector('english'::regconfig, title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, keywords), 'B') || "
    "setweight(to_tsvector('english'::regconfig, body), 'C')))",
)
POSTGRES_DROP = (
    "DROP INDEX IF EXISTS knowledge_article_trgm",
    "DROP INDEX IF EXISTS knowledge_article_tsv",
)


def _sqlite_supports_trigram(cursor) -> bool:
    try:
        cursor.execute("CREATE VIRTUAL TABLE temp.kefu_fts_probe USING fts5(x, tokenize='trigram')")
        cursor.execute("DROP TABLE temp.kefu_fts_probe")
    except DatabaseError:
        return False
    return True


def _create_sqlite(schema_editor) -> None:
    with schema_editor.connection.cursor() as cursor:
        if not _sqlite_supports_trigram(cursor):
            log.warning(
                "SQLite %s lacks FTS5 with the trigram tokenizer (needs 3.34+): knowledge-base "
                "search falls back to LIKE scans.",
                schema_editor.connection.Database.sqlite_version,
            )
            return
        for statement in (SQLITE_TABLE, *SQLITE_TRIGGERS, SQLITE_REBUILD):
            cursor.execute(statement)


def _create_postgres(schema_editor) -> None:
    with schema_editor.connection.cursor() as cursor:
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                cursor.execute(POSTGRES_EXTENSION)
        except DatabaseError as error:
            log.warning(
                "Could not create the pg_trgm extension (%s): knowledge-base search uses the "
                "text-search index and unindexed ILIKE. Ask a superuser to run: %s",
                error,
                POSTGRES_EXTENSION,
            )
            cursor.execute(POSTGRES_INDEXES[1])
            return
        for statement in POSTGRES_INDEXES:
            cursor.execute(statement)


def create_index(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _create_sqlite(schema_editor)
    elif vendor == "postgresql":
        _create_postgres(schema_editor)


def drop_index(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, ())
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index)]
