"""The recommendations a findings import links each finding to, found again by their text."""

from __future__ import annotations

from hub.importing import chunks, insert_links
from hub.importing.bulk import delete_links

from ..models import Recommendation
from .vocabulary import normalise_text


class _Known:
    """The reviews' recommendations by (review, normalised text), and the findings' links."""

    def __init__(self, review_pks, existing_pks):
        self.by_key: dict[tuple[int, str], Recommendation] = {}
        self.text_of: dict[int, str] = {}
        self.next_sort: dict[int, int] = {}
        for recommendation in Recommendation.objects.filter(review_id__in=review_pks).only(
            "pk", "review_id", "text", "sort_order"
        ):
            normal = normalise_text(recommendation.text)
            self.text_of[recommendation.pk] = normal
            self.by_key.setdefault((recommendation.review_id, normal), recommendation)
            self.next_sort[recommendation.review_id] = max(
                self.next_sort.get(recommendation.review_id, -1), recommendation.sort_order or 0
            )
        self.links: dict[int, list[tuple[int, int]]] = {}
        through = Recommendation.findings.through
        for chunk in chunks(existing_pks, 500):
            for link_pk, recommendation_pk, finding_pk in through.objects.filter(
                finding_id__in=chunk
            ).values_list("pk", "recommendation_id", "finding_id"):
                self.links.setdefault(finding_pk, []).append((link_pk, recommendation_pk))
        self.new: list[Recommendation] = []

    def get_or_new(self, review_pk: int, text: str, sharing_level: str) -> Recommendation:
        key = (review_pk, normalise_text(text))
        recommendation = self.by_key.get(key)
        if recommendation is None:
            sort_order = self.next_sort.get(review_pk, -1) + 1
            self.next_sort[review_pk] = sort_order
            recommendation = Recommendation(
                review_id=review_pk, text=text, sharing_level=sharing_level, sort_order=sort_order
            )
            self.by_key[key] = recommendation
            self.new.append(recommendation)
        return recommendation


def link_recommendations(changes, findings, review_pks, existing_pks) -> set[int]:
    """Each finding answers exactly the recommendation its row names: found again by its review
    and text, or made; a recommendation that no longer names it keeps its other findings (and
    any actions that hang off it). Returns the recommendations whose links changed."""
    known = _Known(review_pks, existing_pks)
    stale: list[int] = []
    touched: set[int] = set()
    wanted_links: list[tuple[Recommendation, object]] = []
    for change, finding in zip(changes, findings, strict=True):
        wanted = normalise_text(change.recommendation)
        linked = set()
        for link_pk, recommendation_pk in known.links.get(finding.pk, ()):
            if known.text_of[recommendation_pk] != wanted:
                stale.append(link_pk)
                touched.add(recommendation_pk)
            else:
                linked.add(recommendation_pk)
        if not wanted:
            continue
        recommendation = known.get_or_new(
            change.review.pk, change.recommendation, finding.sharing_level
        )
        if recommendation.pk is None or recommendation.pk not in linked:
            wanted_links.append((recommendation, finding))
    through = Recommendation.findings.through
    delete_links(through, stale)
    for chunk in chunks(known.new):
        Recommendation.objects.bulk_create(chunk)
    insert_links(
        through, "recommendation_id", "finding_id", [(r.pk, f.pk) for r, f in wanted_links]
    )
    touched.update(r.pk for r, _ in wanted_links)
    return touched
