"""The learning library's listing: briefings, published review reports and key findings, each
shown only to readers the access policy lets see it, filtered, newest first and paginated.

Three kinds of record are listed as one list. So that a page costs the same number of queries
however many there are, the kinds are put in order together in the database (a UNION of each
kind's key, date and id), only the page's rows are fetched, and each kind's page rows are then
loaded with their relations prefetched: one query of counts, one page query and a fixed number
of loads per kind.

Where a library draws from:
- a partnership's library: the learning that partnership owns;
- the region's library: what any partnership shares regionally or publicly, and, for a signed-in
  member, what their own partnership keeps to itself;
- a theme page: everything tagged with the theme.
In every case the access policy (`visible_to`) has the last word: an anonymous visitor sees only
public records, a member of another region never sees this region's regional learning.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from django import forms
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import CharField, Count, DateField, F, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce, ExtractYear

from hub import audience_cache
from hub.pagination import links_for
from partnership import vocabulary
from partnership.access import SharingLevel, audience_of, membership_of, visible_to
from partnership.models import Partnership, Theme
from reviews.models import (
    PUBLISHED_STATUSES,
    SETTLED_STATUSES,
    Finding,
    Recommendation,
    Review,
    ReviewTheme,
    ReviewType,
)
from reviews.pseudonyms import share

from . import read_marks
from .models import BriefingTheme, LearningBriefing

PER_PAGE = 20

BRIEFING, REPORT, FINDING = "briefing", "report", "finding"
KINDS = [
    (BRIEFING, "Learning briefings"),
    (REPORT, "Review reports"),
    (FINDING, "Key findings"),
]
KIND_NAMES = {BRIEFING: "briefing", REPORT: "review report", FINDING: "key finding"}

# Which reviews' reports and findings are learning at all is the reviews app's rule.
SHARED_LEVELS = [SharingLevel.REGIONAL, SharingLevel.PUBLIC]


class LibraryFilterForm(forms.Form):
    """The library's filters: a GET form, so that a filtered list has its own address and works
    without JavaScript. Choices that do not fit are ignored rather than refused."""

    kind = forms.ChoiceField(label="Type of learning", required=False)
    theme = forms.ChoiceField(label="Theme", required=False)
    review_type = forms.ChoiceField(label="Type of review", required=False)
    agency = forms.TypedChoiceField(label="Agency", required=False, coerce=int, empty_value=None)
    partnership = forms.ChoiceField(label="Partnership", required=False)
    year = forms.TypedChoiceField(label="Year", required=False, coerce=int, empty_value=None)

    def __init__(self, data=None, *, partnership=None, theme=None, themes=(), agencies=()):
        super().__init__(data)
        any_ = [("", "Any")]
        self.fields["kind"].choices = any_ + KINDS
        self.fields["review_type"].choices = any_ + list(ReviewType.choices)
        self.fields["year"].choices = any_
        if theme is not None:
            del self.fields["theme"]  # a theme page lists one theme
        else:
            self.fields["theme"].choices = any_ + [(t.slug, t.name) for t in themes]
        if partnership is not None:
            del self.fields["partnership"]  # a partnership's library lists one partnership
            self.fields["agency"].choices = any_ + [
                (str(a.pk), a.name) for a in agencies if a.partnership_id == partnership.pk
            ]
        else:
            self.fields["agency"].choices = any_ + [(str(a.pk), str(a)) for a in agencies]
            partnerships = {a.partnership_id: a.partnership for a in agencies}
            self.fields["partnership"].choices = any_ + [
                (p.slug, p.name) for p in sorted(partnerships.values(), key=lambda p: p.name)
            ]

    def offer_years(self, years) -> None:
        """Only the years that hold something the reader may see (newest first)."""
        self.fields["year"].choices = [("", "Any")] + [(str(y), str(y)) for y in years]

    def filters(self) -> dict:
        """The valid choices made; an invalid one (an old link, a typed URL) is dropped."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


@dataclass
class Entry:
    """One row of the listing: what kind it is and the record itself."""

    kind: str
    date: date | None
    record: object

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind]


@dataclass
class Listing:
    page: PaginatorPage
    entries: list[Entry]
    counts: dict[str, int]
    total: int
    form: LibraryFilterForm
    pagination: dict = field(default_factory=dict)

    @property
    def kind_counts(self) -> list[tuple[str, str, int]]:
        return [(kind, label, self.counts.get(kind, 0)) for kind, label in KINDS]


def _briefings(user) -> QuerySet:
    return visible_to(user, LearningBriefing.objects.live())


def shared_reports(user) -> QuerySet:
    """Published review reports `user` may see: what the library lists and a report page shows."""
    return visible_to(user, Review.objects.filter(status__in=PUBLISHED_STATUSES))


def shared_findings(user) -> QuerySet:
    """Findings of settled reviews that `user` may see, each on its own sharing level."""
    return visible_to(user, Finding.objects.filter(review__status__in=SETTLED_STATUSES))


def shared_recommendations(user) -> QuerySet:
    """Recommendations are learning when their review's findings are: once it is settled."""
    return visible_to(user, Recommendation.objects.filter(review__status__in=SETTLED_STATUSES))


# Where each kind keeps the facts the filters and scopes read.
PATHS = {
    BRIEFING: {
        "partnership": "partnership",
        "themes": "themes__slug",
        "agencies": "audiences",
        "review_type": "source_reviews__review_type",
        "date": F("briefing_date"),
    },
    REPORT: {
        "partnership": "lead_partnership",
        "themes": "themes__slug",
        "agencies": "agencies",
        "review_type": "review_type",
        # A published report without a recorded date sorts by its decision, then its opening.
        "date": Coalesce(
            "publication_date",
            "decision_date",
            Cast("created_at", output_field=DateField()),
        ),
    },
    FINDING: {
        "partnership": "review__lead_partnership",
        "themes": "themes__slug",
        "agencies": "agencies",
        "review_type": "review__review_type",
        # A finding is dated by its review's publication, or else when the review was opened.
        "date": Coalesce(
            "review__publication_date", Cast("review__created_at", output_field=DateField())
        ),
    },
}


def _semi_join(qs: QuerySet, **lookup) -> QuerySet:
    """Filter on a many-valued path without repeating rows (a record with two such reviews)."""
    return qs.filter(pk__in=qs.model._base_manager.filter(**lookup).values("pk"))


def _scoped(kind: str, qs: QuerySet, user, *, partnership=None, region=False) -> QuerySet:
    owner = PATHS[kind]["partnership"]
    if partnership is not None:
        return qs.filter(**{f"{owner}_id": partnership.pk})
    if region:
        shared = Q(sharing_level__in=SHARED_LEVELS)
        membership = membership_of(user)
        if membership is not None:
            shared |= Q(**{f"{owner}_id": membership.partnership_id})
        return qs.filter(shared)
    return qs


def _filtered(kind: str, qs: QuerySet, filters: dict, theme: Theme | None) -> QuerySet:
    paths = PATHS[kind]
    theme_slug = theme.slug if theme is not None else filters.get("theme")
    if theme_slug:
        qs = _semi_join(qs, **{paths["themes"]: theme_slug})
    if filters.get("review_type"):
        qs = _semi_join(qs, **{paths["review_type"]: filters["review_type"]})
    if filters.get("agency"):
        qs = _semi_join(qs, **{paths["agencies"]: filters["agency"]})
    if filters.get("partnership"):
        qs = qs.filter(**{f"{paths['partnership']}__slug": filters["partnership"]})
    qs = qs.annotate(listed_on=paths["date"])
    if filters.get("year"):
        qs = qs.filter(listed_on__year=filters["year"])
    return qs


def _years(scoped: dict[str, QuerySet]) -> list[int]:
    """The years in which the reader may see anything here, in one query (a UNION of each
    kind's distinct years), newest first: a year filter offers only years with records."""
    parts = [
        qs.order_by()
        .annotate(listed_year=ExtractYear(PATHS[kind]["date"]))
        .values_list("listed_year", flat=True)
        .distinct()
        for kind, qs in scoped.items()
    ]
    found = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
    return sorted({year for year in found if year}, reverse=True)


def _keys(kind: str, qs: QuerySet) -> QuerySet:
    return (
        qs.order_by()
        .annotate(listed_kind=Value(kind, output_field=CharField()))
        .values_list("listed_kind", "listed_on", "pk")
    )


def _counts(querysets: dict[str, QuerySet]) -> dict[str, int]:
    """How many of each kind, in one query: a UNION of one count per kind."""
    counted = [
        qs.order_by()
        .annotate(listed_kind=Value(kind, output_field=CharField()))
        .values("listed_kind")
        .annotate(n=Count("pk"))
        .values_list("listed_kind", "n")
        for kind, qs in querysets.items()
    ]
    rows = counted[0].union(*counted[1:], all=True) if len(counted) > 1 else counted[0]
    found = dict(rows)
    return {kind: found.get(kind, 0) for kind in querysets}


def _load(kind: str, ids: list[int]) -> dict[int, object]:
    """The page's records of one kind with what their cards show: one query per kind. Reports
    and findings are shared as `reviews.pseudonyms` shares them: no subject's pseudonym."""
    if not ids:
        return {}
    if kind == BRIEFING:
        qs = LearningBriefing.objects.filter(pk__in=ids).select_related("partnership")
        return {record.pk: record for record in qs}
    if kind == REPORT:
        qs = Review.objects.filter(pk__in=ids).select_related("lead_partnership")
    else:
        qs = Finding.objects.filter(pk__in=ids).select_related("review__lead_partnership")
    return {record.pk: share(record) for record in qs}


# Where each kind's theme links are kept: the through model and its two columns.
THEME_LINKS = {
    BRIEFING: (BriefingTheme, "content_object_id", "tag_id"),
    REPORT: (ReviewTheme, "content_object_id", "tag_id"),
    FINDING: (Finding.themes.through, "finding_id", "theme_id"),
}


def _attach_themes(loaded: dict[str, dict[int, object]]) -> None:
    """Every listed record's themes in one query (a UNION over the kinds' links), named from
    the cached theme vocabulary: `record.listed_themes`."""
    parts = []
    for kind, records in loaded.items():
        for record in records.values():
            record.listed_themes = []
        if not records:
            continue
        through, owner, tag = THEME_LINKS[kind]
        parts.append(
            through.objects.filter(**{f"{owner}__in": list(records)})
            .order_by()
            .annotate(listed_kind=Value(kind, output_field=CharField()))
            .values_list("listed_kind", owner, tag)
        )
    if not parts:
        return
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    themes = vocabulary.themes_by_id()
    for kind, pk, theme_id in rows:
        if theme_id in themes:
            loaded[kind][pk].listed_themes.append(themes[theme_id])
    for records in loaded.values():
        for record in records.values():
            record.listed_themes.sort(key=lambda theme: theme.name)


def themes_of(kind: str, record) -> list[Theme]:
    """A listed record's themes, attached by `_attach_themes` (never a query of its own)."""
    listed = getattr(record, "listed_themes", None)
    if listed is not None:
        return listed
    if kind == FINDING:
        return list(record.themes.all())
    return [item.tag for item in record.themed_items.all()]


def library_listing(
    user,
    params,
    *,
    partnership: Partnership | None = None,
    region: bool = False,
    theme: Theme | None = None,
    page_number=None,
    per_page: int = PER_PAGE,
) -> Listing:
    """What one library page (or theme page) shows `user`, for the GET parameters `params`."""
    agencies = vocabulary.agencies()
    if partnership is not None:
        agencies = [a for a in agencies if a.partnership_id == partnership.pk]
    form = LibraryFilterForm(
        params or None,
        partnership=partnership,
        theme=theme,
        themes=vocabulary.themes() if theme is None else (),
        agencies=agencies,
    )
    sources = {
        BRIEFING: _briefings(user),
        REPORT: shared_reports(user),
        FINDING: shared_findings(user),
    }
    scoped = {
        kind: _scoped(kind, qs, user, partnership=partnership, region=region)
        for kind, qs in sources.items()
    }
    form.offer_years(_years(scoped))
    filters = form.filters()
    wanted = [filters["kind"]] if filters.get("kind") else [k for k, _ in KINDS]
    querysets = {kind: _filtered(kind, qs, filters, theme) for kind, qs in scoped.items()}
    counts = _counts({kind: querysets[kind] for kind in wanted})

    keyed = [_keys(kind, querysets[kind]) for kind in wanted]
    union = keyed[0].union(*keyed[1:], all=True) if len(keyed) > 1 else keyed[0]
    # Newest first; the kind and id break ties so that a row never moves between pages.
    union = union.order_by("-listed_on", "listed_kind", "-pk")
    paginator = Paginator(union, per_page)
    paginator.count = sum(counts.values())  # known already: spare the paginator its count query
    page = paginator.get_page(page_number)

    rows = list(page.object_list)
    by_kind: dict[str, list[int]] = {}
    for kind, _when, pk in rows:
        by_kind.setdefault(kind, []).append(pk)
    loaded = {kind: _load(kind, ids) for kind, ids in by_kind.items()}
    _attach_themes(loaded)
    entries = [
        Entry(kind=kind, date=when, record=loaded[kind][pk])
        for kind, when, pk in rows
        if pk in loaded[kind]
    ]
    return Listing(
        page=page,
        entries=entries,
        counts=counts,
        total=paginator.count,
        form=form,
        pagination=links_for(page, params),
    )


LISTING_TEMPLATE = "learning/includes/library_listing.html"
# The records a library lists, whose rules decide who shares a reader's view of it.
LISTED_MODELS = (LearningBriefing, Review, Finding)


def rendered_listing(request, *, place: str, show_partnership: bool, **scope):
    """`library_listing` for this request, rendered once per audience, place and parameters and
    served to everyone who shares them (`hub.audience_cache`). The region's library also lists a
    member's own partnership's learning, so that partnership is part of the audience."""
    user = request.user
    audience = set(audience_of(user, *LISTED_MODELS))
    membership = membership_of(user)
    if membership is not None:
        audience.add(f"member-of:{membership.partnership_id}")
    shared = audience_cache.rendered_listing(
        request,
        place=place,
        audience=audience,
        template=LISTING_TEMPLATE,
        build=lambda: library_listing(
            user, request.GET, page_number=request.GET.get("page"), **scope
        ),
        context={"show_partnership": show_partnership},
    )
    # The audience's copy, with this reader's "Read" and "New" marks filled in.
    return replace(shared, html=read_marks.mark(request, shared.html))
