"""The parts of the search index each database does its own way, which no model field says.

- Full text: on PostgreSQL a GIN index over the weighted `search_vector`; on SQLite an FTS5 table
  with the porter stemmer (the English stemming PostgreSQL's 'english' configuration gives),
  keyed by the entry's id.
- On PostgreSQL, each entry's access tokens also as an array beside its search vector, in one
  GIN index with it: the index then finds entries that match the words AND that the reader may
  see in a single scan, with no join (measured: the join with the token table cost more than
  the whole search at 50,000 findings). The token table stays: SQLite uses it, and it is the
  record.
- On PostgreSQL, each entry's facet values also as an array ("theme:neglect", "kind:finding")
  beside its access tokens: a search then counts every facet from the matching rows it has
  already read, in the same statement (`unnest` and one GROUP BY), instead of a second pass over
  the facet table (measured: half the time of a search over 50,000 findings). The facet table
  stays: SQLite uses it, and it is the record.

Kept beside the migrations (the loader skips modules named with a leading underscore) so that
`0001_initial` stays what `makemigrations` writes, plus one call to `forwards` at its end."""

FTS_SQLITE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS hubsearch_fts USING fts5("
    "title, tags, body, tokenize = 'porter unicode61 remove_diacritics 2')"
)
GIN_POSTGRES = (
    "CREATE INDEX IF NOT EXISTS hubsearch_entry_vector_gin "
    "ON hubsearch_searchentry USING gin (search_vector)"
)


POSTGRES_ARRAYS = [
    "ALTER TABLE hubsearch_searchentry ADD COLUMN IF NOT EXISTS access varchar(80)[]",
    "CREATE INDEX IF NOT EXISTS hubsearch_entry_access_vector_gin "
    "ON hubsearch_searchentry USING gin (access, search_vector)",
    "ALTER TABLE hubsearch_searchentry ADD COLUMN IF NOT EXISTS facets varchar(130)[]",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(FTS_SQLITE)
    elif vendor == "postgresql":
        for statement in [GIN_POSTGRES, *POSTGRES_ARRAYS]:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS hubsearch_fts")
    elif vendor == "postgresql":
        for statement in (
            "DROP INDEX IF EXISTS hubsearch_entry_access_vector_gin",
            "DROP INDEX IF EXISTS hubsearch_entry_vector_gin",
            "ALTER TABLE hubsearch_searchentry DROP COLUMN IF EXISTS access",
            "ALTER TABLE hubsearch_searchentry DROP COLUMN IF EXISTS facets",
        ):
            schema_editor.execute(statement)
