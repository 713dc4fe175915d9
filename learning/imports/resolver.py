"""What an actions file names, looked up once per distinct value, so a file of thousands of rows
costs queries in proportion to its reviews, agencies, leads and themes, not its rows."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from hub.importing import cell_text
from partnership.models import Agency, Theme
from reviews.models import Recommendation, Review

from ..models import Action


def fold(text: str) -> str:
    """Text compared as people mean it: case and runs of whitespace ignored."""
    return " ".join((text or "").split()).casefold()


class Resolver:
    def __init__(self, rows: list[dict]):
        self.actions = {
            a.reference: a
            for a in Action.objects.filter(
                reference__in=[cell_text(r.get("reference")) for r in rows]
            )
        }
        references = {cell_text(r.get("review_reference")) for r in rows}
        self.reviews = {
            fold(r.reference): r
            for r in Review.objects.filter(reference__in=references).select_related(
                "lead_partnership"
            )
        }
        # Matched exactly first; a case-insensitive fallback catches "wir-rr-1" (and remembers
        # a miss, so a wrong reference on a thousand rows is asked about once).
        self._agencies: dict = {}
        self._users: dict = {}
        self._themes: dict = {}
        self._review_themes: dict = {}
        # The reviews' recommendations by folded text, which the import adds to.
        self.recommendations: dict[int, dict[str, Recommendation]] = {}
        for rec in Recommendation.objects.filter(review__in=list(self.reviews.values())):
            self.recommendations.setdefault(rec.review_id, {}).setdefault(fold(rec.text), rec)

    def review(self, reference: str) -> Review | None:
        key = fold(reference)
        if key not in self.reviews:
            self.reviews[key] = (
                Review.objects.filter(reference__iexact=reference)
                .select_related("lead_partnership")
                .first()
            )
        return self.reviews[key]

    def agencies(self, partnership, term: str) -> list[Agency]:
        key = (partnership.pk, fold(term))
        if key not in self._agencies:
            self._agencies[key] = list(
                Agency.objects.filter(partnership=partnership).matching(term)
            )
        return self._agencies[key]

    def user(self, email: str):
        key = fold(email)
        if key not in self._users:
            self._users[key] = get_user_model().objects.filter(email__iexact=email).first()
        return self._users[key]

    def themes(self, term: str) -> list[Theme]:
        key = fold(term)
        if key not in self._themes:
            self._themes[key] = list(Theme.objects.matching(term))
        return self._themes[key]

    def review_themes(self, review: Review) -> list[Theme]:
        if review.pk not in self._review_themes:
            self._review_themes[review.pk] = list(review.themes.all())
        return self._review_themes[review.pk]
