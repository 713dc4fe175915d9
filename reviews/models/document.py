"""Documents attached to a review: agency chronologies, reports and minutes."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.models import Orderable

# Documents of reviews live here, a collection that is never public: the serve hook lets a
# document out only to people who may see a review that holds it.
REVIEW_DOCUMENTS_COLLECTION = "Review documents"


class DocumentKind(models.TextChoices):
    CHRONOLOGY = "chronology", "Agency chronology"
    REPORT = "report", "Report"
    MINUTES = "minutes", "Minutes"
    TERMS_OF_REFERENCE = "terms_of_reference", "Terms of reference"
    OTHER = "other", "Other"


class ReviewDocument(Orderable):
    """A document of a review. It is as private as the review itself: see
    `reviews.wagtail_hooks.refuse_documents_of_hidden_reviews`."""

    review = ParentalKey("reviews.Review", on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.PROTECT, related_name="review_links"
    )
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    title = models.CharField(
        max_length=255, help_text="e.g. Police chronology. No names of children or families."
    )

    class Meta(Orderable.Meta):
        verbose_name = "review document"

    def __str__(self):
        return self.title
