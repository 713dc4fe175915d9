"""The milestones of each kind of review, and how their due dates follow from the review's dates.

Each milestone says what it counts from (a date on the review, or an earlier milestone), how far
and in which unit, and on what authority: *statutory* figures are fixed here; *local* figures
(the partnership's own plan) and *check* figures (commonly cited, not confirmed from the primary
text) are partnership settings, `ReviewTimescale`, with the defaults below. See
/work/shared/domain/timescales.md for the sources.

`milestone_due_dates` is pure: give it a review and the partnership's timescales and it returns
the due dates, so rules can be tested without a database."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models

from hub.working_days import add_months, add_working_days, subtract_working_days

from .models.review import ReviewType


class Unit(models.TextChoices):
    WORKING_DAYS = "working_days", "working days"
    CALENDAR_DAYS = "days", "calendar days"
    MONTHS = "months", "calendar months"


class Basis(models.TextChoices):
    STATUTORY = "statutory", "Statutory"
    LOCAL = "local", "Local: the partnership's own timescale"
    CHECK = "check", "Commonly cited: the partnership confirms it"


@dataclass(frozen=True)
class MilestoneSpec:
    """One milestone of a review type.

    start: what the milestone counts from, first known wins: a review date field (ending in
    `_date`) or the kind of an earlier milestone of the same type, whose done date is used when
    it is done and its due date otherwise.
    done_field: a review date field that, once filled in, records the milestone as done.
    before: count back from the start (a copy sent before publication).
    signed_off: the statutory partners' sign-off completes it: the work of the review or
    audit itself, up to what is sent. What follows sign-off (the Panel's response, the copy
    before publication, publication, a re-audit) stays open; so does a step with a date of its
    own on the review (the notification), which only that date records."""

    kind: str
    label: str
    start: tuple[str, ...]
    amount: int
    unit: Unit
    basis: Basis = Basis.STATUTORY
    before: bool = False
    done_field: str | None = None
    signed_off: bool = False

    @property
    def statutory(self) -> bool:
        return self.basis == Basis.STATUTORY

    @property
    def settable(self) -> bool:
        return not self.statutory

    def due_from(self, start: date, amount: int) -> date:
        if self.unit == Unit.WORKING_DAYS:
            if self.before:
                return subtract_working_days(start, amount)
            return add_working_days(start, amount)
        if self.unit == Unit.MONTHS:
            return add_months(start, -amount if self.before else amount)
        return start + timedelta(days=-amount if self.before else amount)

    def describe(self, amount: int | None = None) -> str:
        """ "15 working days after the notification date", for the admin and the README."""
        amount = self.amount if amount is None else amount
        unit = self.unit.label
        if amount == 1:
            unit = unit.replace("days", "day").replace("months", "month")
        direction = "before" if self.before else "after"
        return f"{amount} {unit} {direction} {_start_label(self.start[0])}"


def _start_label(start: str) -> str:
    if start.endswith("_date"):
        return "the " + start.removesuffix("_date").replace("_", " ") + " date"
    return "the " + start.replace("_", " ") + " milestone"


WD, MONTHS = Unit.WORKING_DAYS, Unit.MONTHS
LOCAL, CHECK = Basis.LOCAL, Basis.CHECK
# The rapid review's internal plan counts from the notification actually sent, or from when it
# was due while it has not been.
FROM_NOTIFICATION = ("notification_date", "notification")

MILESTONES: dict[str, tuple[MilestoneSpec, ...]] = {
    ReviewType.RAPID_REVIEW: (
        MilestoneSpec(
            "notification",
            "Serious incident notification to the National Panel",
            ("aware_date",),
            5,
            WD,
            done_field="notification_date",
        ),
        MilestoneSpec(
            "tell_partners",
            "Tell the safeguarding partners",
            ("aware_date",),
            5,
            WD,
            signed_off=True,
        ),
        MilestoneSpec(
            "agency_letters",
            "Letters to agencies",
            FROM_NOTIFICATION,
            1,
            WD,
            LOCAL,
            signed_off=True,
        ),
        MilestoneSpec(
            "agency_summaries",
            "Agency summaries returned",
            FROM_NOTIFICATION,
            10,
            WD,
            LOCAL,
            signed_off=True,
        ),
        MilestoneSpec(
            "panel_meeting",
            "Rapid review panel meeting",
            FROM_NOTIFICATION,
            12,
            WD,
            LOCAL,
            signed_off=True,
        ),
        MilestoneSpec(
            "partner_sign_off",
            "Sign-off by the three safeguarding partners",
            FROM_NOTIFICATION,
            15,
            WD,
            LOCAL,
            signed_off=True,
        ),
        MilestoneSpec(
            "rapid_review",
            "Rapid review sent to the National Panel",
            FROM_NOTIFICATION,
            15,
            WD,
            signed_off=True,
        ),
        MilestoneSpec(
            "panel_response", "National Panel's response", ("rapid_review",), 10, WD, CHECK
        ),
    ),
    ReviewType.LCSPR: (
        MilestoneSpec(
            "final_report", "Final report", ("decision_date",), 6, MONTHS, signed_off=True
        ),
        MilestoneSpec(
            "publication",
            "Publication",
            ("final_report",),
            10,
            WD,
            LOCAL,
            done_field="publication_date",
        ),
        MilestoneSpec(
            "pre_publication_copy",
            "Copy to the National Panel and the Secretary of State",
            ("publication",),
            7,
            WD,
            CHECK,
            before=True,
        ),
    ),
    ReviewType.SAR: (
        MilestoneSpec(
            "final_report", "Final report", ("decision_date",), 6, MONTHS, CHECK, signed_off=True
        ),
    ),
    ReviewType.DARDR: (
        MilestoneSpec(
            "decision",
            "Decision on a review",
            ("aware_date",),
            1,
            MONTHS,
            CHECK,
            done_field="decision_date",
        ),
        MilestoneSpec(
            "final_report",
            "Review completed",
            ("decision_date", "decision"),
            6,
            MONTHS,
            CHECK,
            signed_off=True,
        ),
    ),
    ReviewType.CHILD_DEATH_REVIEW: (
        MilestoneSpec(
            "review_meeting",
            "Child death review meeting",
            ("start_date",),
            3,
            MONTHS,
            LOCAL,
            signed_off=True,
        ),
        MilestoneSpec(
            "cdop_review",
            "Reviewed by the CDOP",
            ("start_date",),
            6,
            MONTHS,
            LOCAL,
            signed_off=True,
        ),
    ),
    ReviewType.MULTI_AGENCY_AUDIT: (
        MilestoneSpec(
            "audit_report", "Audit report", ("start_date",), 3, MONTHS, LOCAL, signed_off=True
        ),
        MilestoneSpec("re_audit", "Re-audit", ("audit_report",), 6, MONTHS, LOCAL),
    ),
    ReviewType.SECTION_11_AUDIT: (
        MilestoneSpec(
            "self_assessment",
            "Self-assessments returned",
            ("start_date",),
            3,
            MONTHS,
            LOCAL,
            signed_off=True,
        ),
        MilestoneSpec("next_audit", "Next Section 11 audit", ("start_date",), 24, MONTHS, LOCAL),
    ),
    ReviewType.SECTION_175_AUDIT: (
        MilestoneSpec(
            "self_assessment",
            "Self-assessments returned",
            ("start_date",),
            3,
            MONTHS,
            LOCAL,
            signed_off=True,
        ),
        MilestoneSpec("next_audit", "Next Section 175 audit", ("start_date",), 24, MONTHS, LOCAL),
    ),
    ReviewType.PEER_REVIEW: (
        MilestoneSpec(
            "report", "Peer review report", ("start_date",), 3, MONTHS, LOCAL, signed_off=True
        ),
    ),
    ReviewType.LEARNING_REVIEW: (
        MilestoneSpec(
            "final_report", "Final report", ("start_date",), 3, MONTHS, LOCAL, signed_off=True
        ),
    ),
    ReviewType.NATIONAL_REVIEW: (),
}

# (review type, kind) -> amount: a partnership's own figures for its settable milestones.
Timescales = Mapping[tuple[str, str], int]


def specs_for(review_type: str) -> tuple[MilestoneSpec, ...]:
    return MILESTONES.get(review_type, ())


def signed_off_kinds(review_type: str) -> list[str]:
    """The milestones that the statutory partners' sign-off of a review of this type completes."""
    return [s.kind for s in specs_for(review_type) if s.signed_off]


def spec(review_type: str, kind: str) -> MilestoneSpec | None:
    return next((s for s in specs_for(review_type) if s.kind == kind), None)


def settable_specs() -> list[tuple[str, MilestoneSpec]]:
    """Every (review type, milestone) a partnership may set, in a stable order."""
    return [(rt, s) for rt, specs in MILESTONES.items() for s in specs if s.settable]


def default_timescales() -> dict[tuple[str, str], int]:
    return {(rt, s.kind): s.amount for rt, s in settable_specs()}


def date_fields() -> frozenset[str]:
    """The review fields milestones read: a save that changes none of them changes nothing."""
    fields = {"review_type", "lead_partnership"}
    for specs in MILESTONES.values():
        for s in specs:
            fields.update(name for name in s.start if name.endswith("_date"))
            if s.done_field:
                fields.add(s.done_field)
    return frozenset(fields)


def milestone_due_dates(
    review, timescales: Timescales | None = None, done: Mapping[str, date] | None = None
) -> dict[str, date | None]:
    """The due date of each milestone of `review`'s type, None while what it counts from is unknown.

    timescales: the lead partnership's figures for local and check milestones; missing ones take
    the defaults. Statutory milestones ignore it. done: milestones already done and when, so that
    a later milestone counts from what happened (the Panel responds to the rapid review actually
    sent)."""
    timescales = timescales or {}
    specs = specs_for(review.review_type)
    done = {**recorded_done_dates(review), **(done or {})}
    due: dict[str, date | None] = {}
    for s in specs:
        start = _start(s, review, due, done)
        amount = s.amount if s.statutory else timescales.get((review.review_type, s.kind), s.amount)
        due[s.kind] = s.due_from(start, amount) if start else None
    return due


def recorded_done_dates(review) -> dict[str, date]:
    """Milestones the review's own dates say are done: a notification date means notified."""
    return {
        s.kind: getattr(review, s.done_field)
        for s in specs_for(review.review_type)
        if s.done_field and getattr(review, s.done_field)
    }


def _start(s: MilestoneSpec, review, due, done) -> date | None:
    for name in s.start:
        if name.endswith("_date"):
            value = getattr(review, name)
        else:
            value = done.get(name) or due.get(name)
        if value:
            return value
    return None


def due_dates_for(review) -> dict[str, date | None]:
    """The due dates of `review`'s milestones with its lead partnership's timescales and the
    milestones it has already done."""
    from .models import Milestone, ReviewTimescale

    timescales = ReviewTimescale.objects.for_partnership(review.lead_partnership_id)
    done = {}
    if review.pk:
        done = dict(
            Milestone.objects.filter(review=review, done_date__isnull=False).values_list(
                "kind", "done_date"
            )
        )
    return milestone_due_dates(review, timescales, done)


def _check_definitions():
    """Fail at import, not on a reviewer's deadline, if a milestone counts from an unknown one."""
    for review_type, specs in MILESTONES.items():
        seen = set()
        for s in specs:
            for name in s.start:
                if not name.endswith("_date") and name not in seen:
                    raise ValueError(f"{review_type}.{s.kind} counts from unknown {name!r}")
            if s.kind in seen:
                raise ValueError(f"{review_type}.{s.kind} is defined twice")
            seen.add(s.kind)


_check_definitions()
