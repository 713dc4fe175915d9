"""Who may download the documents agencies upload as evidence for their returns: the people
who may see a return citing them. A document in the evidence collection that no return cites
goes to no one but the Hub's administrators. The same rule hides them from the admin's
document library and choosers."""

from partnership.documents import HeldDocuments

from .cycles import EVIDENCE_COLLECTION
from .models import AgencyReturn, ReturnEvidence

RETURN_EVIDENCE = HeldDocuments(AgencyReturn, ReturnEvidence, "agency_return", EVIDENCE_COLLECTION)
