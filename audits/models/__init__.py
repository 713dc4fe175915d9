from .case_audits import (
    AuditCase,
    CaseAudit,
    CaseAuditState,
    CaseGrading,
    Grade,
    quarter_label,
)
from .cycles import (
    AgencyReturn,
    Assessment,
    AssessmentEvent,
    Cycle,
    ReturnEvidence,
    ReturnState,
)
from .events import ChallengeEvent
from .standards import (
    Rating,
    RatingScale,
    SetKind,
    Standard,
    StandardSet,
    ratings_of,
)

__all__ = [
    "AuditCase",
    "CaseAudit",
    "CaseAuditState",
    "CaseGrading",
    "ChallengeEvent",
    "Grade",
    "quarter_label",
    "AgencyReturn",
    "Assessment",
    "AssessmentEvent",
    "Cycle",
    "Rating",
    "RatingScale",
    "ReturnEvidence",
    "ReturnState",
    "SetKind",
    "Standard",
    "StandardSet",
    "ratings_of",
]
