"""The kinds of import the apps offer, found by name: the core runs every app's import jobs
and shows their pages without importing any app (each registers its kinds in `AppConfig.ready`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from .pipeline import Importer


@dataclass(frozen=True)
class ImportKind:
    name: str  # stored on each import job: "reviews", "findings", "actions"
    label: str  # "Reviews"
    importer: Callable[[], Importer]
    # Who may start an import of this kind (the upload page asks too).
    may_import: Callable[[object], bool]
    # The admin URL name of its upload page, where "Import another file" leads.
    upload_url_name: str = ""

    @property
    def noun(self) -> str:
        return self.importer().noun


_kinds: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> ImportKind:
    _kinds[kind.name] = kind
    return kind


def import_kind(name: str) -> ImportKind:
    """The kind registered under `name`; a KeyError names a kind whose app is not installed."""
    return _kinds[name]


def import_kinds() -> list[ImportKind]:
    return list(_kinds.values())
