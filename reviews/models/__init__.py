from .audit import READ_ACTIONS, ReviewLogEntry  # noqa: F401
from .document import REVIEW_DOCUMENTS_COLLECTION, DocumentKind, ReviewDocument  # noqa: F401
from .finding import Finding, Recommendation  # noqa: F401
from .milestone import (  # noqa: F401
    CLOSED_STATUSES,
    DoneSource,
    Milestone,
    MilestoneQuerySet,
    ReviewTimescale,
)
from .review import (  # noqa: F401
    LEAD_KINDS,
    PUBLISHED_STATUSES,
    SETTLED_STATUSES,
    AgeBand,
    Decision,
    LevelOfNeed,
    Review,
    ReviewQuerySet,
    ReviewStatus,
    ReviewTheme,
    ReviewType,
    may_lead,
)
from .workflow import (  # noqa: F401
    STATUTORY_PARTNER_SECTORS,
    PanelApprovalTask,
    ReviewSignOffTask,
    StatutoryPartnerSignOffTask,
)
