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
from .home import HomePage  # noqa: F401
