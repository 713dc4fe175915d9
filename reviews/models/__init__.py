from .finding import Finding, Recommendation  # noqa: F401
from .milestone import (  # noqa: F401
    CLOSED_STATUSES,
    Milestone,
    MilestoneQuerySet,
    ReviewTimescale,
)
from .review import (  # noqa: F401
    AgeBand,
    Decision,
    LevelOfNeed,
    Review,
    ReviewQuerySet,
    ReviewStatus,
    ReviewTheme,
    ReviewType,
)
