"""The database engine's index: one flat row per searchable record, beside the records themselves.

Denormalised on purpose: a search reads this table (and its two side tables) and nothing else, so
it costs the same few queries however the records are related, and a record's access tokens and
facet values are stored with it so that access and facets are filtered inside the same query.

Rows belong to a generation: a rebuild writes a whole new generation while searches keep reading
the current one, then makes the new one current in one transaction (no moment with an empty or
half-built index). The full-text side is vendor-specific and made by migration 0002: a
`search_vector` column with a GIN index on PostgreSQL, an FTS5 table (`hubsearch_fts`, rowid =
entry id) on SQLite.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class IndexState(models.Model):
    """The one row saying which generation searches read, and which a rebuild is writing."""

    current = models.PositiveIntegerField(default=1)
    building = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "search index state"

    def __str__(self):
        return f"Search index generation {self.current}"

    @classmethod
    def get(cls) -> "IndexState":
        state, _ = cls.objects.get_or_create(pk=1)
        return state

    @property
    def live_generations(self) -> list[int]:
        return [self.current] + ([self.building] if self.building else [])


class SearchEntry(models.Model):
    """One searchable record (a `search.types.SearchDocument`), flattened."""

    generation = models.PositiveIntegerField()
    key = models.CharField(max_length=64)
    kind = models.CharField(max_length=20)
    title = models.TextField()
    body = models.TextField(blank=True)
    # The names and synonyms of the record's themes: searched, weighed between title and body, so
    # that a record tagged "Child sexual exploitation" is found by "CSE" whatever its text says.
    tags = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    date = models.DateField(null=True, blank=True)
    partnership_id = models.IntegerField(null=True, blank=True)
    partnership_name = models.CharField(max_length=150, blank=True)
    themes = models.CharField(
        max_length=1000, blank=True, help_text="Theme slugs, space-separated, for the hit."
    )
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(fields=["generation", "key"], name="search_entry_key_once"),
        ]
        indexes = [models.Index(fields=["generation", "date"], name="search_entry_by_date")]

    def __str__(self):
        return self.key


class SearchToken(models.Model):
    """An access token of an entry: the reader's tokens are matched here, as a semi-join."""

    entry = models.ForeignKey(
        SearchEntry, on_delete=models.DO_NOTHING, related_name="tokens", db_index=False
    )
    token = models.CharField(max_length=80)

    class Meta:
        indexes = [
            models.Index(fields=["token", "entry"], name="search_token_lookup"),
            models.Index(fields=["entry"], name="search_token_entry"),
        ]

    def __str__(self):
        return self.token


class SearchFacet(models.Model):
    """One facet value of an entry (kind, theme, agency, review type, partnership, year, level of
    need): filters are semi-joins here and facet counts one GROUP BY over the matching entries."""

    entry = models.ForeignKey(
        SearchEntry, on_delete=models.DO_NOTHING, related_name="facets", db_index=False
    )
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=100)

    class Meta:
        indexes = [
            models.Index(fields=["facet", "value", "entry"], name="search_facet_lookup"),
            models.Index(fields=["entry", "facet", "value"], name="search_facet_entry"),
        ]

    def __str__(self):
        return f"{self.facet}={self.value}"
