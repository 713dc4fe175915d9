"""Where search documents come from: one source per kind of record, each turning its model's rows
into `SearchDocument`s.

A source says which rows are searchable at all (a finding only once its review is signed off, a
briefing only while live, a review only once its report is published), reads them in chunks with
their relations loaded (a rebuild reads 50,000+ rows in a few dozen queries per chunk), and names
the fields that become text: never a review's confidential details, and every text of a review,
its findings and recommendations, and the briefings and actions drawn from it, through
`reviews.pseudonyms`: the index is shared by every reader, so it never holds a subject's
pseudonym (a search for "Child Q" finds nothing, for anyone).

Access tokens come from the access policy (`partnership.access.access_tokens`), never from here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Model, Prefetch, QuerySet
from django.urls import reverse
from wagtail.rich_text import get_text_for_indexing

from partnership.access import access_related, access_tokens
from reviews.pseudonyms import share, shareable_heading, shareable_text, shareable_title

from .types import Kind, SearchDocument

CHUNK = 2000


def key_of(kind: str, pk) -> str:
    return f"{kind}:{pk}"


def split_key(key: str) -> tuple[str, int] | None:
    kind, _, pk = key.partition(":")
    return (kind, int(pk)) if pk.isdigit() else None


def _text(*parts) -> str:
    return "\n".join(p.strip() for p in parts if p and p.strip())


def _rich(value) -> str:
    return get_text_for_indexing(str(value or ""))


def _theme_fields(themes) -> tuple[tuple[str, ...], str]:
    """Theme slugs, and the themes' names and synonyms as text to search."""
    themes = sorted(themes, key=lambda t: t.slug)
    words = [" ".join([t.name, *t.synonym_list]) for t in themes]
    return tuple(t.slug for t in themes), " ; ".join(words)


def _without_pseudonyms(text: str, reviews) -> str:
    for review in reviews:
        text = shareable_text(text, review)
    return text


def _sectors(agencies) -> tuple[str, ...]:
    return tuple(sorted({a.sector for a in agencies if a.sector}))


def _page_url(page, root_paths) -> str:
    """A page's address on its site, from the site root paths read once per chunk."""
    for root in root_paths:
        if page.url_path.startswith(root.root_path):
            return "/" + page.url_path[len(root.root_path) :]
    return ""


@dataclass
class Source:
    """One kind of record in the index."""

    kind: str
    model_label: str
    # Other kinds whose records this source's documents read: kind -> a function from those
    # records' primary keys to this source's primary keys to reindex with them (a review's
    # sharing level and status are its findings' too).
    dependants: dict = field(default_factory=dict)
    # The lookup from this model to a theme's id, to find what a renamed theme touches.
    theme_lookup: str = "themed_items__tag_id"

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)

    def searchable(self) -> QuerySet:
        """The rows that belong in the index, with everything `document` reads loaded."""
        raise NotImplementedError

    def document(self, obj, context) -> SearchDocument:
        raise NotImplementedError

    def context(self) -> dict:
        """What a chunk's documents share (e.g. the site's root paths), read once a chunk."""
        return {}

    def _with_access(self, qs: QuerySet) -> QuerySet:
        select, prefetch = access_related(qs.model)
        return qs.select_related(*select).prefetch_related(*prefetch)

    def documents(self, pks: Iterable[int] | None = None) -> Iterator[SearchDocument]:
        """Documents of the searchable rows (all of them, or those of `pks`), in chunks."""
        qs = self.searchable()
        if pks is not None:
            qs = qs.filter(pk__in=list(pks))
        ids = list(qs.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            context = self.context()
            for obj in self.searchable().filter(pk__in=chunk).order_by("pk"):
                yield self.document(obj, context)

    def count(self) -> int:
        return self.searchable().count()

    def _doc(self, obj, **fields) -> SearchDocument:
        return SearchDocument(key=key_of(self.kind, obj.pk), kind=self.kind, **fields)


class FindingSource(Source):
    def searchable(self):
        from reviews.models import SETTLED_STATUSES, Finding

        qs = Finding.objects.filter(review__status__in=SETTLED_STATUSES)
        return self._with_access(qs).prefetch_related("themes", "agencies")

    def document(self, finding, context):
        review = finding.review
        slugs, tags = _theme_fields(finding.themes.all())
        owner = review.lead_partnership
        return self._doc(
            finding,
            title=shareable_heading(finding.title, review),
            body=shareable_text(_text(finding.text, finding.practice_area), review),
            url=reverse("library-finding", args=[finding.pk]),
            partnership_id=owner.pk,
            partnership_name=owner.name,
            date=review.finding_date,
            themes=slugs,
            agencies=_sectors(finding.agencies.all()),
            review_type=review.review_type,
            level_of_need=finding.level_of_need or review.level_of_need,
            access=access_tokens(finding),
            tags=tags,
        )


class RecommendationSource(Source):
    def searchable(self):
        from reviews.models import SETTLED_STATUSES, Recommendation

        qs = Recommendation.objects.filter(review__status__in=SETTLED_STATUSES)
        return self._with_access(qs).prefetch_related("findings__themes", "findings__agencies")

    def document(self, recommendation, context):
        review = recommendation.review
        findings = list(recommendation.findings.all())
        themes = {t.slug: t for f in findings for t in f.themes.all()}
        slugs, tags = _theme_fields(themes.values())
        owner = review.lead_partnership
        share(recommendation)
        return self._doc(
            recommendation,
            title=recommendation.headline,
            body=recommendation.text,
            url=reverse("library-recommendation", args=[recommendation.pk]),
            partnership_id=owner.pk,
            partnership_name=owner.name,
            date=review.finding_date,
            themes=slugs,
            agencies=_sectors(a for f in findings for a in f.agencies.all()),
            review_type=review.review_type,
            level_of_need=review.level_of_need,
            access=access_tokens(recommendation),
            tags=tags,
        )


class ReviewSource(Source):
    """Published review reports only, as the library lists them; their title, reference and
    summary, never the confidential details or the subject's pseudonym."""

    def searchable(self):
        from reviews.models import PUBLISHED_STATUSES, Review, ReviewTheme

        qs = Review.objects.filter(status__in=PUBLISHED_STATUSES)
        return self._with_access(qs).prefetch_related(
            Prefetch("themed_items", queryset=ReviewTheme.objects.select_related("tag")),
            "agencies",
        )

    def document(self, review, context):
        slugs, tags = _theme_fields(item.tag for item in review.themed_items.all())
        owner = review.lead_partnership
        return self._doc(
            review,
            title=shareable_title(review),
            body=_text(review.reference, shareable_text(review.summary, review)),
            url=reverse("library-report", args=[review.pk]),
            partnership_id=owner.pk,
            partnership_name=owner.name,
            date=review.report_date,
            themes=slugs,
            agencies=_sectors(review.agencies.all()),
            review_type=review.review_type,
            level_of_need=review.level_of_need,
            access=access_tokens(review),
            tags=tags,
        )


class PageSource(Source):
    """Live pages (briefings, courses): their own shareable text, addressed on their site."""

    def context(self):
        from wagtail.models import Site

        return {"root_paths": Site.get_site_root_paths()}


class BriefingSource(PageSource):
    def searchable(self):
        from learning.models import BriefingTheme, LearningBriefing

        qs = LearningBriefing.objects.live()
        return self._with_access(qs).prefetch_related(
            Prefetch("themed_items", queryset=BriefingTheme.objects.select_related("tag")),
            "audiences",
            "source_reviews",
            "source_findings__review",
        )

    def document(self, briefing, context):
        slugs, tags = _theme_fields(item.tag for item in briefing.themed_items.all())
        sources = sorted(briefing.source_reviews.all(), key=lambda r: r.pk)
        subjects = [*sources, *(f.review for f in briefing.source_findings.all())]
        return self._doc(
            briefing,
            title=_without_pseudonyms(briefing.title, subjects),
            body=_without_pseudonyms(
                _text(
                    briefing.summary,
                    *(
                        _rich(getattr(briefing, name))
                        for name in (
                            "background",
                            "why_it_matters",
                            "what_we_found",
                            "what_it_means",
                            "questions",
                            "what_to_do",
                        )
                    ),
                ),
                subjects,
            ),
            url=_page_url(briefing, context["root_paths"]),
            partnership_id=briefing.partnership_id,
            partnership_name=briefing.partnership.name,
            date=briefing.briefing_date,
            themes=slugs,
            agencies=_sectors(briefing.audiences.all()),
            review_type=sources[0].review_type if sources else "",
            level_of_need=briefing.level_of_need,
            access=access_tokens(briefing),
            tags=tags,
        )


def _published_on(page) -> datetime.date | None:
    published = page.last_published_at or page.first_published_at
    return published.date() if published else None


class CourseSource(PageSource):
    def searchable(self):
        qs = self.model.objects.live()
        theme_model = apps.get_model("training", "CourseTheme")
        return self._with_access(qs).prefetch_related(
            Prefetch("themed_items", queryset=theme_model.objects.select_related("tag"))
        )

    def document(self, course, context):
        slugs, tags = _theme_fields(item.tag for item in course.themed_items.all())
        return self._doc(
            course,
            title=course.title,
            body=_text(
                course.summary,
                _rich(course.description),
                _rich(course.learning_outcomes),
                course.audience,
            ),
            url=_page_url(course, context["root_paths"]),
            partnership_id=course.partnership_id,
            partnership_name=course.partnership.name,
            date=_published_on(course),
            themes=slugs,
            access=access_tokens(course),
            tags=tags,
        )


class ActionSource(Source):
    """Follow-up actions, for those the policy lets see them (their tokens say who)."""

    def searchable(self):
        from learning.models import Action

        qs = Action.objects.select_related("owner_agency", "review")
        return self._with_access(qs).prefetch_related("themes")

    def document(self, action, context):
        slugs, tags = _theme_fields(action.themes.all())
        subjects = [action.review] if action.review_id else []
        description = _without_pseudonyms(action.description, subjects)
        return self._doc(
            action,
            title=f"{action.reference}: {description[:100]}",
            body=_without_pseudonyms(_text(action.description, action.progress), subjects),
            url=reverse("my-action", args=[action.reference]),
            partnership_id=action.partnership_id,
            partnership_name=action.partnership.name,
            date=action.created_at.date(),
            themes=slugs,
            agencies=_sectors([action.owner_agency]),
            access=access_tokens(action),
            tags=tags,
        )


def _finding_dependants():
    from reviews.models import Finding

    return {
        Kind.REVIEW: lambda pks: Finding.objects.filter(review_id__in=pks).values_list(
            "pk", flat=True
        ),
    }


def _recommendation_dependants():
    from reviews.models import Recommendation

    return {
        Kind.REVIEW: lambda pks: Recommendation.objects.filter(review_id__in=pks).values_list(
            "pk", flat=True
        ),
        Kind.FINDING: lambda pks: (
            Recommendation.objects.filter(findings__in=pks).values_list("pk", flat=True).distinct()
        ),
    }


def _build_registry() -> dict[str, Source]:
    registry = {
        Kind.FINDING: FindingSource(
            Kind.FINDING, "reviews.Finding", _finding_dependants(), theme_lookup="themes__id"
        ),
        Kind.RECOMMENDATION: RecommendationSource(
            Kind.RECOMMENDATION,
            "reviews.Recommendation",
            _recommendation_dependants(),
            theme_lookup="findings__themes__id",
        ),
        Kind.REVIEW: ReviewSource(Kind.REVIEW, "reviews.Review"),
        Kind.BRIEFING: BriefingSource(Kind.BRIEFING, "learning.LearningBriefing"),
        Kind.ACTION: ActionSource(Kind.ACTION, "learning.Action", theme_lookup="themes__id"),
    }
    # Courses come with the training app; a checkout without its Course model still searches
    # everything else.
    try:
        apps.get_model("training", "Course")
    except LookupError:
        pass
    else:
        registry[Kind.COURSE] = CourseSource(Kind.COURSE, "training.Course")
    return registry


_REGISTRY: dict[str, Source] | None = None


def registry() -> dict[str, Source]:
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = _build_registry()
    return _REGISTRY


def source_for_model(model) -> Source | None:
    label = model._meta.label
    for source in registry().values():
        if source.model_label == label or source.model._meta.concrete_model._meta.label == label:
            return source
    return None


def all_documents() -> Iterator[SearchDocument]:
    for source in registry().values():
        yield from source.documents()


def count_all() -> int:
    return sum(source.count() for source in registry().values())


def documents_for(keys: Iterable[str]) -> tuple[list[SearchDocument], list[str]]:
    """The documents of these keys that are searchable now, and the keys that are not (deleted,
    unpublished, back in draft): the first to index, the second to remove."""
    by_kind: dict[str, set[int]] = {}
    for key in keys:
        parsed = split_key(key)
        if parsed and parsed[0] in registry():
            by_kind.setdefault(parsed[0], set()).add(parsed[1])
    found, gone = [], []
    for kind, pks in by_kind.items():
        docs = list(registry()[kind].documents(pks))
        found += docs
        present = {d.key for d in docs}
        gone += [key_of(kind, pk) for pk in sorted(pks) if key_of(kind, pk) not in present]
    return found, gone


def keys_tagged(theme_id: int) -> list[str]:
    """The keys of every searchable record tagged with this theme."""
    keys = []
    for source in registry().values():
        pks = (
            source.searchable()
            .filter(**{source.theme_lookup: theme_id})
            .order_by()
            .values_list("pk", flat=True)
            .distinct()
        )
        keys += [key_of(source.kind, pk) for pk in pks]
    return keys


def key_for(instance) -> str | None:
    """The index key of a record of a searchable model (searchable now or not)."""
    label = type(instance)._meta.concrete_model._meta.label
    for source in registry().values():
        if source.model_label in (label, type(instance)._meta.label):
            return key_of(source.kind, instance.pk)
    return None


def with_dependants(keys: Iterable[str]) -> list[str]:
    """These keys and those of the records whose documents read them, found in the database now
    (so a signal fired in the middle of a save needs no query)."""
    keys = set(keys)
    by_kind: dict[str, list[int]] = {}
    for key in keys:
        parsed = split_key(key)
        if parsed:
            by_kind.setdefault(parsed[0], []).append(parsed[1])
    for source in registry().values():
        for kind, lookup in source.dependants.items():
            if by_kind.get(kind):
                keys.update(key_of(source.kind, pk) for pk in lookup(by_kind[kind]))
    return sorted(keys)
