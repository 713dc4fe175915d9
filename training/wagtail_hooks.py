"""Wagtail discovers only `wagtail_hooks.py`: this imports the training admin's hook modules,
each one concern (the register; the reports; evaluations and their impact)."""

from . import (
    impact_hooks,  # noqa: F401
    register_hooks,  # noqa: F401
    report_hooks,  # noqa: F401
)
