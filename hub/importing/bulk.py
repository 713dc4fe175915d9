"""Writing many rows in few statements: chunks, many-to-many links, link rows by COPY."""

from django.db import connection

# Rows written per statement: a few hundred kilobytes of SQL, well inside SQLite's variable limit
# and PostgreSQL's packet size, and a progress report each.
WRITE_CHUNK = 1000


def chunks(items: list, size: int = WRITE_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def set_many(model, field_name: str, wanted: dict[int, list[int]], existing_pks: list) -> None:
    """Make each record's `field_name` exactly the primary keys in `wanted`, through the
    relation's own table: only the rows that differ are deleted or added. `existing_pks` are
    the records that may already have links (new records have none)."""
    field = model._meta.get_field(field_name)
    through = field.remote_field.through
    source = f"{field.m2m_field_name()}_id"
    target = f"{field.m2m_reverse_field_name()}_id"
    have: dict[int, dict[int, int]] = {}
    wanted_existing = [pk for pk in existing_pks if pk in wanted]
    for chunk in chunks(wanted_existing, 500):
        for link_pk, owner, item in through.objects.filter(**{f"{source}__in": chunk}).values_list(
            "pk", source, target
        ):
            have.setdefault(owner, {})[item] = link_pk
    stale = []
    fresh = []
    for owner, items in wanted.items():
        current = have.get(owner, {})
        stale.extend(link for item, link in current.items() if item not in items)
        fresh.extend((owner, item) for item in dict.fromkeys(items) if item not in current)
    delete_links(through, stale)
    insert_links(through, source, target, fresh)


def delete_links(through, pks: list[int]) -> None:
    for chunk in chunks(pks, 500):
        through.objects.filter(pk__in=chunk).delete()


def insert_links(through, source: str, target: str, pairs: list[tuple[int, int]]) -> None:
    """Rows of a many-to-many table, inserted by plain statements: a link row has no
    behaviour, and building a model instance for each of a hundred thousand costs seconds."""
    if not pairs:
        return
    quote = connection.ops.quote_name
    columns = f"{quote(through._meta.db_table)} ({quote(source)}, {quote(target)})"
    if connection.vendor == "postgresql":
        # COPY streams the rows in one statement: many times faster than INSERTs.
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {columns} FROM STDIN") as copy:
                for pair in pairs:
                    copy.write_row(pair)
        return
    insert = f"INSERT INTO {columns} "
    with connection.cursor() as cursor:
        # Many rows a statement (one round trip each), within SQLite's 999 parameters.
        for chunk in chunks(pairs, 400):
            values = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(insert + "VALUES " + values, [value for pair in chunk for value in pair])
