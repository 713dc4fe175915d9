"""Standards: what an agency rates itself against. A set is versioned (a new version of the
statutory Section 11 standards never rewrites the answers given against the old one), may be
shared with the region, and adopted by another partnership as its own copy."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from partnership.access import AccessRule, SharingLevel, VisibleQuerySet


class SetKind(models.TextChoices):
    SECTION_11 = "section_11", "Section 11 (Children Act 2004)"
    SECTION_175 = "section_175", "Section 175 (Education Act 2002)"
    OWN = "own", "The partnership's own standards"

    @property
    def short_label(self) -> str:
        return {"section_11": "Section 11", "section_175": "Section 175"}.get(self.value, "Own")


class RatingScale(models.TextChoices):
    FOUR_POINT = "four_point", "1 to 4: not met, partially met, met, exceeded"
    RAG = "rag", "Red, amber, green"


@dataclass(frozen=True)
class Rating:
    """One point of a set's scale, with the colour the heat map gives it. Red and amber need an
    improvement action once agreed."""

    value: int
    label: str
    colour: str  # "red", "amber" or "green"

    @property
    def needs_action(self) -> bool:
        return self.colour in ("red", "amber")


SCALES: dict[str, tuple[Rating, ...]] = {
    RatingScale.FOUR_POINT: (
        Rating(1, "1: Not met", "red"),
        Rating(2, "2: Partially met", "amber"),
        Rating(3, "3: Met", "green"),
        Rating(4, "4: Exceeded", "green"),
    ),
    RatingScale.RAG: (
        Rating(1, "Red: not met", "red"),
        Rating(2, "Amber: partially met", "amber"),
        Rating(3, "Green: met", "green"),
    ),
}


def ratings_of(scale: str) -> dict[int, Rating]:
    return {rating.value: rating for rating in SCALES[scale]}


class StandardSet(ClusterableModel):
    """One version of a set of standards, owned by a partnership."""

    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.PROTECT, related_name="standard_sets"
    )
    name = models.CharField(
        max_length=150, help_text='Versions share a name: "Section 11 standards 2026".'
    )
    kind = models.CharField(max_length=20, choices=SetKind.choices, default=SetKind.SECTION_11)
    version = models.PositiveSmallIntegerField(default=1)
    scale = models.CharField(
        max_length=20, choices=RatingScale.choices, default=RatingScale.FOUR_POINT
    )
    sharing_level = models.CharField(
        max_length=20,
        choices=SharingLevel.choices,
        default=SharingLevel.PARTNERSHIP,
        help_text="Regional: other partnerships in the region may read and adopt it.",
    )
    adopted_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="adoptions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()
    access_rule = AccessRule()

    class Meta:
        ordering = ["partnership__short_name", "name", "-version"]
        verbose_name = "standards set"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name", "version"], name="standard_set_unique_version"
            )
        ]

    def __str__(self):
        return f"{self.name} (version {self.version})"

    @property
    def ratings(self) -> dict[int, Rating]:
        return ratings_of(self.scale)

    @property
    def in_use(self) -> bool:
        """Answers were given against this version's words: a cycle that uses it fixes them,
        and a change comes as a new version (`audits.standards`), which keeps both."""
        return bool(self.pk) and self.cycles.exists()


class Standard(Orderable):
    standard_set = ParentalKey(StandardSet, on_delete=models.CASCADE, related_name="standards")
    code = models.CharField(max_length=20, help_text='As the set numbers it: "1", "3.2".')
    text = models.TextField(verbose_name="standard")
    good_looks_like = models.TextField(blank=True, verbose_name="what good looks like")
    evidence_expected = models.TextField(blank=True)

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["standard_set", "code"], name="standard_unique_code")
        ]

    def __str__(self):
        return f"{self.code}: {self.text[:80]}"
