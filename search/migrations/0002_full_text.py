"""The full-text half of the index, which each database does its own way: on PostgreSQL a GIN
index over the weighted `search_vector`; on SQLite an FTS5 table with the porter stemmer (the
English stemming PostgreSQL's 'english' configuration gives), keyed by the entry's id."""

from django.db import migrations

FTS_SQLITE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS hubsearch_fts USING fts5("
    "title, tags, body, tokenize = 'porter unicode61 remove_diacritics 2')"
)
GIN_POSTGRES = (
    "CREATE INDEX IF NOT EXISTS hubsearch_entry_vector_gin "
    "ON hubsearch_searchentry USING gin (search_vector)"
)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(FTS_SQLITE)
    elif vendor == "postgresql":
        schema_editor.execute(GIN_POSTGRES)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS hubsearch_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS hubsearch_entry_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("hubsearch", "0001_search_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
