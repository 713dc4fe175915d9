"""Standards sets in and out: the import (`import_standards`, one row per standard, through the
core import pipeline), the export in the same columns, and adoption of a set another partnership
shares with the region.

A file's `set` column names the set. A name the importing person's partnership has not used
makes version 1 of a new set; a name it has makes the next version, and the versions before it
stay as they were, with every answer given against them."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from wagtail.log_actions import log

from hub.importing import Columns, Importer, Row, Writing, run_import
from partnership.access import SharingLevel, can_view, membership_of

from .models import RatingScale, SetKind, Standard, StandardSet

COLUMNS = ["set", "code", "standard", "good_looks_like", "evidence_expected"]
# Said once per set, on any of its rows: the first row that says it decides.
OPTIONAL = ["kind", "scale"]
TEXT_LIMITS = {"set": 150, "code": 20}


class StandardsError(Exception):
    """Why a standards set cannot be adopted, in words for the person who asked."""


def may_import_standards(user) -> bool:
    """Managers and quality assurance of a partnership: the people who run its audits."""
    return (
        user.is_active
        and membership_of(user) is not None
        and user.has_perms(["audits.add_standardset"])
    )


def _choice(text: str, choices) -> str | None:
    folded = " ".join(text.replace("_", " ").split()).casefold()
    for value, label in choices:
        names = {value.replace("_", " "), label.casefold(), label.split(" (")[0].casefold()}
        if folded in names:
            return value
    return None


@dataclass
class PlannedSet:
    name: str
    kind: str = ""
    scale: str = ""
    standards: list[dict] = field(default_factory=list)
    codes: dict[str, int] = field(default_factory=dict)  # folded code -> row


@dataclass
class StandardsPlan:
    user: object
    partnership: object
    sets: dict[str, PlannedSet] = field(default_factory=dict)  # folded name -> set
    made: list[StandardSet] = field(default_factory=list)


class StandardsImport(Importer):
    noun = "standard"
    columns = Columns(required=tuple(COLUMNS), optional=tuple(OPTIONAL))

    def plan(self, table, user) -> StandardsPlan:
        membership = membership_of(user) if user is not None else None
        return StandardsPlan(user, membership.partnership if membership else None)

    def check(self, row: Row, plan: StandardsPlan):
        for column in ("set", "code", "standard"):
            if not row.text(column):
                row.error(column, "is empty")
        for column, limit in TEXT_LIMITS.items():
            if len(row.text(column)) > limit:
                row.error(column, f"is longer than {limit} characters")
        name = " ".join(row.text("set").split())
        if not name:
            return None
        planned = plan.sets.setdefault(name.casefold(), PlannedSet(name))
        self._check_choice(row, planned, "kind", SetKind.choices)
        self._check_choice(row, planned, "scale", RatingScale.choices)
        code = row.text("code")
        if code and code.casefold() in planned.codes:
            row.error("code", f"{code} is also on row {planned.codes[code.casefold()]} of {name}")
        elif code:
            planned.codes[code.casefold()] = row.number
        if row.ok:
            planned.standards.append(
                {
                    "code": code,
                    "text": row.text("standard"),
                    "good_looks_like": row.text("good_looks_like"),
                    "evidence_expected": row.text("evidence_expected"),
                }
            )
        return planned if row.ok else None

    @staticmethod
    def _check_choice(row: Row, planned: PlannedSet, column: str, choices) -> None:
        text = row.text(column) if column in row else ""
        if not text:
            return
        value = _choice(text, choices)
        if value is None:
            known = "; ".join(label for _, label in choices)
            row.error(column, f"{text} is not one of: {known}")
        elif getattr(planned, column) and getattr(planned, column) != value:
            row.error(
                column, f"{text} differs from the {column} an earlier row gave {planned.name}"
            )
        else:
            setattr(planned, column, value)

    def write(self, changes: list, plan: StandardsPlan, writing: Writing) -> None:
        for planned in plan.sets.values():
            standard_set = new_version(
                plan.partnership,
                planned.name,
                plan.user,
                kind=planned.kind or None,
                scale=planned.scale or None,
            )
            Standard.objects.bulk_create(
                Standard(standard_set=standard_set, sort_order=position, **fields)
                for position, fields in enumerate(planned.standards)
            )
            plan.made.append(standard_set)
            writing.result.created += len(planned.standards)
            writing.saved(len(planned.standards))
        writing.result.added["standards set version"] = len(plan.made)


def new_version(partnership, name: str, user, kind=None, scale=None) -> StandardSet:
    """The next version of the partnership's set called `name` (version 1 of a new one),
    keeping the kind, scale and sharing of the version before unless told otherwise."""
    latest = (
        StandardSet.objects.filter(partnership=partnership, name__iexact=name)
        .order_by("-version")
        .first()
    )
    number = latest.version if latest else 0
    standard_set = StandardSet.objects.create(
        partnership=partnership,
        name=latest.name if latest else name,
        version=number + 1,
        kind=kind or (latest.kind if latest else SetKind.OWN),
        scale=scale or (latest.scale if latest else RatingScale.FOUR_POINT),
        sharing_level=latest.sharing_level if latest else SharingLevel.PARTNERSHIP,
        created_by=user,
    )
    log(standard_set, "hub.standards.version", user=user, data={"version": standard_set.version})
    return standard_set


def import_standards(source, *, user, name: str = "", progress=None):
    """Import `source` for `user`'s partnership, whole or not at all."""
    from hub.importing import ImportResult, RowError

    if user is None or not may_import_standards(user):
        result = ImportResult(noun=StandardsImport.noun)
        result.errors.append(
            RowError(None, None, "only a partnership's managers and quality assurance may import")
        )
        return result
    return run_import(StandardsImport(), source, name=name, user=user, progress=progress)


def export_rows(standard_set: StandardSet) -> tuple[list[str], list[list]]:
    """The set in the import's own columns, so that an export edited and imported again makes
    its next version."""
    columns = [*COLUMNS, *OPTIONAL]
    rows = [
        [
            standard_set.name,
            standard.code,
            standard.text,
            standard.good_looks_like,
            standard.evidence_expected,
            standard_set.get_kind_display(),
            standard_set.get_scale_display(),
        ]
        for standard in standard_set.standards.all()
    ]
    return columns, rows


def may_adopt(user, standard_set: StandardSet) -> bool:
    membership = membership_of(user)
    return (
        membership is not None
        and membership.partnership_id != standard_set.partnership_id
        and may_import_standards(user)
        and can_view(user, standard_set)
    )


def adopt(standard_set: StandardSet, user) -> StandardSet:
    """Another partnership's shared set, copied as the next version of a set of the same name
    in the person's own partnership, remembering where it came from."""
    if not may_adopt(user, standard_set):
        raise StandardsError(
            "Only managers and quality assurance of another partnership that can read this set "
            "may adopt it."
        )
    with transaction.atomic():
        copy = new_version(
            membership_of(user).partnership,
            standard_set.name,
            user,
            kind=standard_set.kind,
            scale=standard_set.scale,
        )
        copy.adopted_from = standard_set
        copy.save(update_fields=["adopted_from"])
        Standard.objects.bulk_create(
            Standard(
                standard_set=copy,
                sort_order=position,
                code=standard.code,
                text=standard.text,
                good_looks_like=standard.good_looks_like,
                evidence_expected=standard.evidence_expected,
            )
            for position, standard in enumerate(standard_set.standards.all())
        )
    return copy
