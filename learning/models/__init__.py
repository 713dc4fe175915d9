from .action import (  # noqa: F401
    RAG,
    Action,
    ActionEvent,
    ActionQuerySet,
    ActionSource,
    ActionState,
    ActionTheme,
    Evidence,
    EvidenceKind,
    ExtensionDecision,
    ExtensionRequest,
    ImpactType,
)
from .briefing import Acknowledgement, BriefingTheme, LearningBriefing, LibraryPage  # noqa: F401
from .editors import LibraryEditors  # noqa: F401
from .notice import NoticeStage, digest_period  # noqa: F401
