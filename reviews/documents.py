"""Which review documents a person may see: those of a review they may see. A document in the
review documents collection that no visible review holds is for no one (but the Hub's
administrators), as `wagtail_hooks.refuse_documents_of_hidden_reviews` serves them."""

from django.db.models import Q
from wagtail.documents import get_document_model

from partnership.access import visible_to

from .models import REVIEW_DOCUMENTS_COLLECTION, Review, ReviewDocument


def documents_hidden_from(user):
    """Ids of the documents the admin's document library, choosers and admin API leave out for
    `user` (see `partnership.documents`)."""
    seen = ReviewDocument.objects.filter(
        review__in=visible_to(user, Review._base_manager.all()).values("pk")
    ).values("document_id")
    held = ReviewDocument.objects.values("document_id")
    return (
        get_document_model()
        ._base_manager.filter(Q(pk__in=held) | Q(collection__name=REVIEW_DOCUMENTS_COLLECTION))
        .exclude(pk__in=seen)
        .values("pk")
    )
