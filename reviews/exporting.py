"""The partnership's reviews as a spreadsheet: the import's columns, the status and due dates.

Only what the person exporting may see (`partnership.access.visible_to`), never the confidential
details, and an audit entry for every restricted review that leaves the Hub. The file imports
back unchanged, so a partnership can move its tracker out and in again: the subject's pseudonym
goes only with the reviews the person may change (their own partnership's, or a panel's they sit
on); another partnership's review they may only read leaves as `reviews.pseudonyms` shares it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from partnership.access import SharingLevel, changeable_by, has_role, sees_everything, visible_to
from partnership.exports import write_csv, write_xlsx
from partnership.models import Role

from .audit import log_review_export
from .imports import REVIEW_COLUMNS, REVIEW_OPTIONAL_COLUMNS
from .milestones import due_dates_for
from .models import Decision, Review, ReviewStatus, ReviewType
from .pseudonyms import share

# The milestones every export has a column for, whatever else `due_dates_for` returns.
REQUIRED_MILESTONES = ("notification", "rapid_review")

EXPORT_ROLES = (
    Role.PARTNERSHIP_MANAGER,
    Role.REVIEWER,
    Role.QUALITY_ASSURANCE,
    Role.INDEPENDENT_SCRUTINEER,
)
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def may_export_reviews(user) -> bool:
    """The people who report on reviews; what each sees in the file is still their own view."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        sees_everything(user)
        or has_role(user, *EXPORT_ROLES)
        or user.has_perm("reviews.export_review")
    )


def due_dates(review: Review) -> dict[str, date | None]:
    """The review's milestone due dates by kind (a kind may be a TextChoices member)."""
    return {str(kind): value for kind, value in due_dates_for(review).items()}


def _label(choices, value) -> str:
    return str(choices(value).label) if value else ""


def _review_values(review: Review) -> dict:
    """A review as the import reads it; confidential_details is never one of these."""
    return {
        "reference": review.reference,
        "type": _label(ReviewType, review.review_type),
        "title": review.title,
        "subject_pseudonym": review.subject_pseudonym,
        "lead_partnership": review.lead_partnership.short_name,
        "sharing_level": SharingLevel(review.sharing_level).short_label,
        "themes": "; ".join(sorted(t.name for t in review.themes.all())),
        "agencies": "; ".join(sorted(a.name for a in review.agencies.all())),
        "incident_date": review.incident_date,
        "aware_date": review.aware_date,
        "notification_date": review.notification_date,
        "decision": _label(Decision, review.decision),
        "summary": review.summary,
        "participating_partnerships": "; ".join(
            sorted(p.short_name for p in review.participating_partnerships.all())
        ),
        "status": _label(ReviewStatus, review.status),
    }


@dataclass
class Export:
    columns: list[str]
    rows: list[list]
    reviews: list[Review]

    @property
    def restricted(self) -> list[Review]:
        return [r for r in self.reviews if r.sharing_level == SharingLevel.RESTRICTED]


def build_export(user) -> Export:
    """The rows `user` may take away, one per review, ordered by reference."""
    reviews = list(
        visible_to(user, Review.objects.all())
        .select_related("lead_partnership")
        .prefetch_related("themes", "agencies", "participating_partnerships")
        .order_by("reference")
    )
    values, dues = [], []
    kinds = list(REQUIRED_MILESTONES)
    home = set(changeable_by(user, Review.objects.all()).values_list("pk", flat=True))
    for review in reviews:
        due = due_dates(review)
        if review.pk not in home:
            share(review)
        values.append(_review_values(review))
        dues.append(due)
        kinds.extend(kind for kind in due if kind not in kinds)
    columns = [*REVIEW_COLUMNS, *REVIEW_OPTIONAL_COLUMNS, *(f"due_{kind}" for kind in kinds)]
    rows = []
    for value, due in zip(values, dues, strict=True):
        rows.append(
            [value[c] for c in REVIEW_COLUMNS + REVIEW_OPTIONAL_COLUMNS]
            + [due.get(kind) for kind in kinds]
        )
    return Export(columns=columns, rows=rows, reviews=reviews)


def log_export(reviews: list[Review], user, file_format: str) -> None:
    """Every restricted review that leaves the Hub leaves an audit entry (who, what, when)."""
    if reviews:
        log_review_export(reviews, user, how=f"export ({file_format})")


def export_reviews(user, file_format: str) -> tuple[bytes, Export]:
    """The export file for `user` in `file_format` ("csv" or "xlsx"), logged."""
    if file_format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    export = build_export(user)
    # Text that starts like a formula stays text; the import takes the CSV's apostrophe off.
    if file_format == "csv":
        content = write_csv(export.columns, export.rows)
    else:
        content = write_xlsx("Reviews", export.columns, export.rows)
    log_export(export.restricted, user, file_format)
    return content, export


def export_filename(file_format: str, today: date | None = None) -> str:
    return f"reviews-{(today or date.today()).isoformat()}.{file_format}"
