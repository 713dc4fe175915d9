"""The findings import: one finding per row, with the recommendation it leads to.

A finding is known again by its review and its text, a recommendation by its review and its
text, so importing the same file twice changes nothing and the same recommendation on several
rows answers all of their findings. Each review whose findings changed gets a new published
revision, so that the admin's edit form, which starts from the latest revision, shows the
imported findings instead of quietly dropping them on the next save.

Every row is checked against what is read once per file (the reviews, their findings, the
vocabulary, the person's rights); the writes are in bulk, so a tracker of 50,000 rows costs a
few hundred statements, not a few for every row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Max

from hub.importing import (
    Columns,
    Importer,
    ImportResult,
    Progress,
    Row,
    Writing,
    cell_text,
    chunks,
    run_import,
    set_many,
)
from hub.importing.indexing import index_saved
from hub.signals import written_in_bulk
from partnership.importing import ImportRights

from ..models import Finding, Recommendation, Review
from . import recommendations, revisions
from .indexing import IndexingDeferred
from .vocabulary import Vocabulary, agencies_of, normalise_text, sharing_level_of, themes_of

COLUMNS = Columns(
    required=("review_reference", "finding"),
    optional=("recommendation", "themes", "agencies", "sharing_level"),
)
FINDING_COLUMNS = COLUMNS.listed

_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s|$)")


def finding_title(text: str) -> str:
    """The first line of a finding, or its first sentence, cut to fit the title."""
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    match = _SENTENCE.match(first_line)
    title = match.group(1) if match else first_line
    if len(title) > 255:
        title = title[:254].rstrip() + "…"
    return title


@dataclass
class FindingChange:
    row: int
    review: Review
    text: str
    existing: Finding | None
    sharing_level: str | None
    themes: list | None
    agencies: list | None
    recommendation: str


@dataclass
class FindingsPlan:
    vocab: Vocabulary
    reviews: dict[str, Review]
    rights: ImportRights
    user: object
    seen: dict[tuple, int] = field(default_factory=dict)
    # Each review's findings by their normalised text, read when a row first names the review.
    known: dict[int, dict[str, Finding]] = field(default_factory=dict)
    pending: dict = field(default_factory=dict)


class FindingsImport(Importer):
    noun = "finding"
    columns = COLUMNS

    def plan(self, table, user) -> FindingsPlan:
        references = {cell_text(cells.get("review_reference")) for _, cells in table.rows}
        reviews = {
            review.reference: review
            for review in Review.objects.filter(reference__in=references)
            .select_related("lead_partnership")
            .prefetch_related("participating_partnerships", "findings")
        }
        # Each row changes its review: the import publishes a new revision of it.
        return FindingsPlan(Vocabulary(), reviews, ImportRights(user, reviews.values()), user)

    def check(self, row: Row, plan: FindingsPlan) -> FindingChange | None:
        reference = row.text("review_reference")
        review = _check_review(row, plan, reference)
        text = row.text("finding")
        key = (reference, normalise_text(text))
        if not text:
            row.error("finding", "is empty")
        elif key in plan.seen:
            row.error("finding", f"the same finding is also on row {plan.seen[key]}")
        else:
            plan.seen[key] = row.number
        level = sharing_level_of(row)
        themes = themes_of(row, plan.vocab)
        agencies = None
        if "agencies" in row and review is not None:
            others = list(review.participating_partnerships.all())
            agencies = agencies_of(row, plan.vocab, review.lead_partnership, others)
        if not row.ok:
            return None
        return FindingChange(
            row=row.number,
            review=review,
            text=text,
            existing=_known_findings(plan, review).get(key[1]),
            sharing_level=level.value if level else None,
            themes=themes,
            agencies=agencies,
            recommendation=row.text("recommendation"),
        )

    def writing(self, plan: FindingsPlan):
        return IndexingDeferred(plan)

    def write(self, changes: list[FindingChange], plan: FindingsPlan, writing: Writing) -> None:
        findings = _write_findings(changes, writing)
        review_pks = list(dict.fromkeys(change.review.pk for change in changes))
        existing_pks = [c.existing.pk for c in changes if c.existing is not None]
        for field_name in ("themes", "agencies"):
            wanted = {
                finding.pk: [item.pk for item in getattr(change, field_name)]
                for change, finding in zip(changes, findings, strict=True)
                if getattr(change, field_name) is not None
            }
            set_many(Finding, field_name, wanted, existing_pks)
        touched = recommendations.link_recommendations(changes, findings, review_pks, existing_pks)
        first_row: dict[int, int] = {}
        for change in changes:
            first_row.setdefault(change.review.pk, change.row)
        revisions.publish_reviews(first_row, plan.user)
        plan.pending[Finding].update(finding.pk for finding in findings)
        plan.pending[Recommendation].update(touched)
        plan.pending[Review].update(review_pks)
        # Bulk writes send no save signals: say what was written, for the search index (which
        # listens to `hub.signals.written_in_bulk`; reviews never imports search).
        records = [(model, pk) for model, pks in plan.pending.items() for pk in sorted(pks)]
        written_in_bulk.send(sender=ImportResult, records=records)

    def written(self, plan: FindingsPlan, writing: Writing) -> None:
        index_saved(plan.pending)


def _check_review(row: Row, plan: FindingsPlan, reference: str) -> Review | None:
    """The row's review, if the person may import into it; nothing more is said about one they
    may not (not its agencies)."""
    if not reference:
        row.error("review_reference", "is empty")
        return None
    review = plan.reviews.get(reference)
    allowed = review is not None and plan.rights.may_change(review)
    refusal = plan.rights.refuse_parent(
        row.number, "review_reference", "review", reference, review, allowed
    )
    row.add(refusal)
    return None if refusal else review


def _known_findings(plan: FindingsPlan, review: Review) -> dict[str, Finding]:
    # A dictionary per review, so that finding a row's finding again does not read all of its
    # review's findings for every row.
    if review.pk not in plan.known:
        plan.known[review.pk] = {}
        for finding in review.findings.all():
            plan.known[review.pk].setdefault(normalise_text(finding.text), finding)
    return plan.known[review.pk]


def _write_findings(changes: list[FindingChange], writing: Writing) -> list[Finding]:
    """The findings, one per change in its order: changed ones updated, new ones created."""
    review_pks = list(dict.fromkeys(change.review.pk for change in changes))
    next_sort = dict(
        Finding.objects.filter(review_id__in=review_pks)
        .values("review_id")
        .annotate(last=Max("sort_order"))
        .values_list("review_id", "last")
    )
    new, changed, findings = [], [], []
    for change in changes:
        finding = change.existing
        if finding is None:
            last = next_sort.get(change.review.pk)
            next_sort[change.review.pk] = sort_order = 0 if last is None else last + 1
            finding = Finding(
                review_id=change.review.pk,
                sharing_level=change.review.sharing_level,
                sort_order=sort_order,
            )
            new.append(finding)
        before = (finding.title, finding.text, finding.sharing_level)
        finding.title = finding_title(change.text)
        finding.text = change.text
        finding.sharing_level = change.sharing_level or finding.sharing_level
        after = (finding.title, finding.text, finding.sharing_level)
        if finding.pk is not None and before != after:
            changed.append(finding)
        findings.append(finding)
    # A finding read again unchanged (the same file imported twice) costs no write; bulk_update
    # builds a CASE per row and field, so its statements stay small.
    for chunk in chunks(changed, 200):
        Finding.objects.bulk_update(chunk, ["title", "text", "sharing_level"])
    writing.saved(len(findings) - len(new))
    for chunk in chunks(new):
        Finding.objects.bulk_create(chunk)
        writing.saved(len(chunk))
    writing.result.created = len(new)
    writing.result.updated = len(findings) - len(new)
    return findings


def import_findings(
    source, *, name: str = "", user=None, progress: Progress | None = None
) -> ImportResult:
    """Create or update one finding per row, with its recommendation, all or none."""
    return run_import(FindingsImport(), source, name=name, user=user, progress=progress)
