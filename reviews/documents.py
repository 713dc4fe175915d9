"""Which review documents a person may see: those of a review they may see. A document in the
review documents collection that no visible review holds is for no one (but the Hub's
administrators), as `wagtail_hooks.refuse_documents_of_hidden_reviews` serves them."""

from partnership.documents import HeldDocuments

from .models import REVIEW_DOCUMENTS_COLLECTION, Review, ReviewDocument

REVIEW_DOCUMENTS = HeldDocuments(Review, ReviewDocument, "review", REVIEW_DOCUMENTS_COLLECTION)
