"""The learning app's imports, run by the Hub's one pipeline (`hub.importing`): follow-up
actions from a partnership's tracker (`actions.py`)."""

from .actions import COLUMNS, ActionsImport, import_actions, may_import_actions

__all__ = ["COLUMNS", "ActionsImport", "import_actions", "may_import_actions"]
