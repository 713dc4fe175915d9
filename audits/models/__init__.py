from .cycles import (
    AgencyReturn,
    Assessment,
    AssessmentEvent,
    Cycle,
    ReturnEvidence,
    ReturnState,
)
from .standards import (
    Rating,
    RatingScale,
    SetKind,
    Standard,
    StandardSet,
    ratings_of,
)

__all__ = [
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
