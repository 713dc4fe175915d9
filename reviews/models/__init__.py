from .finding import Finding, Recommendation  # noqa: F401
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
