"""On PostgreSQL, each entry's facet values also as an array ("theme:neglect", "kind:finding", ...)
beside its access tokens: a search then counts every facet from the matching rows it has already
read, in the same statement (`unnest` and one GROUP BY), instead of a second pass over the facet
table with thousands of entry ids (measured: half the time of a search over 50,000 findings).
The facet table stays: SQLite uses it, and it is the record."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE hubsearch_searchentry ADD COLUMN IF NOT EXISTS facets varchar(130)[]"
    )
    schema_editor.execute(
        "UPDATE hubsearch_searchentry e SET facets = "
        "(SELECT array_agg(f.facet || ':' || f.value) FROM hubsearch_searchfacet f "
        "WHERE f.entry_id = e.id)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE hubsearch_searchentry DROP COLUMN IF EXISTS facets")


class Migration(migrations.Migration):
    dependencies = [("hubsearch", "0003_access_array")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
