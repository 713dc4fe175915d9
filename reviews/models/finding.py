"""What a review found and what it recommends, each shareable on its own terms."""

from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable
from wagtail.search import index

from partnership.access import AccessRule, SharingLevel
from partnership.models import Role

from ..pseudonyms import refuse_shared_copy
from .review import LevelOfNeed, of_partnerships_q


class FindingQuerySet(models.QuerySet):
    def visible_to(self, user):
        from partnership.access import visible_to

        return visible_to(user, self)

    def of_partnerships(self, partnership_ids):
        """Those of the reviews these partnerships lead or take part in (`None`: all)."""
        return self.filter(of_partnerships_q(partnership_ids, path="review__"))


class Finding(index.Indexed, Orderable, ClusterableModel):
    """A finding of a review. Its own sharing level lets a restricted review share an
    anonymised finding with the region; it inherits the review's owner and panel."""

    review = ParentalKey("reviews.Review", on_delete=models.CASCADE, related_name="findings")
    title = models.CharField(max_length=255, help_text="The finding in one line.")
    text = models.TextField(help_text="Anonymised: no names, dates of birth or addresses.")
    themes = ParentalManyToManyField("partnership.Theme", blank=True, related_name="findings")
    agencies = ParentalManyToManyField("partnership.Agency", blank=True, related_name="findings")
    practice_area = models.CharField(
        max_length=120, blank=True, help_text="e.g. assessment, supervision, information sharing."
    )
    level_of_need = models.PositiveSmallIntegerField(
        choices=LevelOfNeed.choices, null=True, blank=True
    )
    sharing_level = models.CharField(
        max_length=20, choices=SharingLevel.choices, default=SharingLevel.PARTNERSHIP
    )

    objects = FindingQuerySet.as_manager()

    access_rule = AccessRule(
        partnership="review__lead_partnership",
        participating=("review__participating_partnerships",),
        named_people=("review__panel",),
    )

    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("text"),
        index.SearchField("practice_area"),
        index.FilterField("sharing_level"),
    ]

    class Meta(Orderable.Meta):
        pass

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        refuse_shared_copy(self)
        super().save(*args, **kwargs)


class Recommendation(index.Indexed, Orderable, ClusterableModel):
    """A recommendation of a review, answering one or more of its findings."""

    review = ParentalKey("reviews.Review", on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField()
    findings = ParentalManyToManyField(Finding, blank=True, related_name="recommendations")
    sharing_level = models.CharField(
        max_length=20, choices=SharingLevel.choices, default=SharingLevel.PARTNERSHIP
    )

    objects = FindingQuerySet.as_manager()

    # Quality assurance follows each recommendation to embedded learning, as it does its actions.
    access_rule = AccessRule(
        partnership="review__lead_partnership",
        participating=("review__participating_partnerships",),
        named_people=("review__panel",),
        overseen_by=(Role.PARTNERSHIP_MANAGER, Role.QUALITY_ASSURANCE),
    )

    search_fields = [index.SearchField("text"), index.FilterField("sharing_level")]

    class Meta(Orderable.Meta):
        pass

    def __str__(self):
        return self.text[:80]

    def save(self, *args, **kwargs):
        refuse_shared_copy(self)
        super().save(*args, **kwargs)

    @property
    def headline(self) -> str:
        """The recommendation in a line, for a heading or a search hit: it has no title of its
        own, so its text, cut at a word if long."""
        text = self.text.strip()
        return text if len(text) <= 120 else text[:117].rsplit(" ", 1)[0] + "…"
