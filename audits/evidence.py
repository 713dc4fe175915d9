"""Who may download the documents agencies upload as evidence for their returns: the people
who may see a return citing them. A document in the evidence collection that no return cites
goes to no one but the Hub's administrators. The same rule hides them from the admin's
document library and choosers."""

from django.db.models import Q

from partnership.access import sees_everything, visible_to

from .cycles import EVIDENCE_COLLECTION
from .models import AgencyReturn, ReturnEvidence


def may_download(user, document) -> bool | None:
    """None when the document is not return evidence (another hook decides)."""
    citing = AgencyReturn._base_manager.filter(evidence__document=document)
    in_collection = document.collection.name == EVIDENCE_COLLECTION
    if not in_collection and not citing.exists():
        return None
    if sees_everything(user):
        return True
    return visible_to(user, citing).exists()


def documents_hidden_from(user):
    from wagtail.documents import get_document_model

    seen = ReturnEvidence.objects.filter(
        agency_return__in=visible_to(user, AgencyReturn._base_manager.all()).values("pk")
    ).values("document_id")
    cited = ReturnEvidence.objects.values("document_id")
    return (
        get_document_model()
        ._base_manager.filter(Q(pk__in=cited) | Q(collection__name=EVIDENCE_COLLECTION))
        .exclude(pk__in=seen)
        .values("pk")
    )
