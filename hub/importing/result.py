"""What an import did, or why it did nothing: the one answer every import gives."""

from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import RowError

# How far an import has got: `progress(stage, done, total)`, with stage "checked" while rows are
# checked, "saved" while they are written, then "committed" and "indexed". Commands print it; an
# admin upload's job stores it for its page.
Progress = Callable[[str, int, int], None]

STAGES = ("checked", "saved", "committed", "indexed")


@dataclass
class ImportResult:
    noun: str
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    # What an import made besides its own records, in words: {"recommendation": 2}.
    added: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return self.created + self.updated

    def summary(self) -> str:
        if not self.ok:
            count = len(self.errors)
            problems = "problem" if count == 1 else "problems"
            return f"Nothing was imported: the file has {count} {problems}."
        plural = self.noun if self.total == 1 else f"{self.noun}s"
        text = f"{self.total} {plural} imported ({self.created} new, {self.updated} updated)"
        for noun, count in self.added.items():
            if count:
                text += f"; {count} {noun if count == 1 else noun + 's'} added"
        return text
