"""The rules of multi-agency case audits: planning one (or a re-audit), its case sample, each
agency's grading, the moderation that agrees the grades and, for a re-audit, the comparison that
becomes the tested action's evidence of impact. Each function checks who may, does one thing in
one transaction, writes Wagtail's audit log (never the free text people type) and returns what
changed; views only call them. The record shapes are in `audits.models.case_audits`."""

from __future__ import annotations

import re
from datetime import date

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from learning.actions import add_re_audit_evidence
from learning.models import Action, ActionState
from partnership.access import membership_of
from partnership.models import Agency, Role
from reviews.models import ReviewType
from reviews.services import open_review

from .cycles import in_partnership, may_open, require
from .models import AuditCase, CaseAudit, CaseAuditState, CaseGrading, Grade

LOG_ACTIONS = {
    "hub.case_audit.planned": "Case audit planned",
    "hub.case_audit.case_added": "Case added to the audit sample",
    "hub.case_audit.grading_started": "Case audit grading started",
    "hub.case_audit.graded": "Case graded by an agency",
    "hub.case_audit.agreed": "Case grade agreed at moderation",
    "hub.case_audit.moderated": "Case audit moderated",
}
# Actions whose learning a re-audit may test: done, and either awaiting or past sign-off.
TESTABLE_STATES = (ActionState.COMPLETED, ActionState.IMPACT_EVIDENCED, ActionState.EMBEDDED)
# What a child's name looks like ("Jane Smith", "Mary-Ann O'Neill"), to refuse it as a case id.
NAME_LIKE = re.compile(r"^[A-Z][a-z]+(?:[ '-][A-Z][a-z]+)+$")
DATE_LIKE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}")

may_plan = may_open  # the partnership's managers and quality assurance run its audits


def may_moderate(user, audit: CaseAudit) -> bool:
    """Quality assurance and managers of the audit's partnership chair its moderation."""
    return may_plan(user, audit.partnership_id)


def grading_agency(user, audit: CaseAudit) -> Agency | None:
    """The agency this person grades for on this audit: an agency lead of an agency asked."""
    membership = membership_of(user)
    if membership is None or membership.agency_id is None:
        return None
    if not in_partnership(user, audit.partnership_id, Role.AGENCY_LEAD):
        return None
    return next((a for a in audit.agencies.all() if a.pk == membership.agency_id), None)


def _log(audit: CaseAudit, verb: str, user, **data) -> None:
    log(audit.review, f"hub.case_audit.{verb}", user=user, data={"audit": audit.pk, **data})


def first_day_of_quarter(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _next_reference(partnership, quarter: date) -> str:
    from reviews.models import Review

    prefix = f"{partnership.short_name[:3].upper()}-MAA-{quarter.year}-"
    taken = set(
        Review.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    )
    n = 1
    while f"{prefix}{n:02d}" in taken:
        n += 1
    return f"{prefix}{n:02d}"


def plan_audit(
    user,
    partnership,
    *,
    title: str,
    theme,
    quarter: date,
    questions: str,
    agencies,
    re_audit_of: CaseAudit | None = None,
    tested_action: Action | None = None,
) -> CaseAudit:
    """Put an audit on the partnership's programme, with the review its findings go in."""
    require(
        may_plan(user, partnership.pk),
        "Only the partnership's managers and quality assurance may plan its case audits.",
    )
    title = " ".join((title or "").split())
    require(bool(title), "Enter a title for the audit")
    require(theme is not None, "Choose the theme the audit tests")
    require(bool((questions or "").strip()), "Enter the audit's questions, one per line")
    agencies = list(agencies)
    require(bool(agencies), "Choose at least one agency to grade the cases")
    require(
        all(a.partnership_id == partnership.pk for a in agencies),
        "Every agency asked must belong to the partnership",
    )
    if re_audit_of is not None:
        require(
            re_audit_of.partnership_id == partnership.pk
            and re_audit_of.state == CaseAuditState.MODERATED,
            "A re-audit repeats one of the partnership's moderated audits",
        )
        require(re_audit_of.theme_id == theme.pk, "A re-audit tests the same theme")
    if tested_action is not None:
        require(re_audit_of is not None, "Only a re-audit tests an action's learning")
        require(
            tested_action.partnership_id == partnership.pk
            and tested_action.state in TESTABLE_STATES,
            "Choose a completed or embedded action of the partnership to test",
        )
    quarter = first_day_of_quarter(quarter)
    with transaction.atomic():
        review = open_review(
            user,
            reference=_next_reference(partnership, quarter),
            review_type=ReviewType.MULTI_AGENCY_AUDIT,
            title=title,
            lead_partnership=partnership,
            start_date=quarter,
            themes=[theme],
            agencies=agencies,
            panel=[user],  # who plans the audit writes its findings, as a review's panel does
        )
        audit = CaseAudit.objects.create(
            review=review,
            partnership=partnership,
            theme=theme,
            quarter=quarter,
            questions=questions.strip(),
            re_audit_of=re_audit_of,
            tested_action=tested_action,
            planned_by=user,
        )
        audit.agencies.set(agencies)
        _log(audit, "planned", user, re_audit_of=re_audit_of.pk if re_audit_of else None)
    return audit


def add_case(audit: CaseAudit, user, *, identifier: str, level_of_need: int, age_band: str):
    require(may_moderate(user, audit), "Only quality assurance and managers choose the sample")
    require(audit.state != CaseAuditState.MODERATED, "The audit is moderated: its sample is fixed")
    identifier = " ".join((identifier or "").split())
    require(bool(identifier), "Enter the case's pseudonymised identifier")
    require(
        not NAME_LIKE.match(identifier) and not DATE_LIKE.search(identifier),
        'Use a pseudonymised identifier such as "Case A" or "MACA-07", never a name or a date '
        "of birth",
    )
    require(
        not audit.cases.filter(identifier__iexact=identifier).exists(),
        f"The sample already has {identifier}",
    )
    case = AuditCase.objects.create(
        audit=audit, identifier=identifier, level_of_need=level_of_need, age_band=age_band
    )
    _log(audit, "case_added", user, case=case.pk)
    return case


def start_grading(audit: CaseAudit, user) -> CaseAudit:
    require(may_moderate(user, audit), "Only quality assurance and managers start the grading")
    require(audit.state == CaseAuditState.PLANNED, "The grading has already started")
    require(audit.cases.exists(), "Add the cases of the sample first")
    audit.state = CaseAuditState.GRADING
    audit.save(update_fields=["state"])
    _log(audit, "grading_started", user)
    return audit


def grade_case(
    case: AuditCase, user, *, grade: int, worked_well="", worried_about="", needs_to_happen=""
) -> CaseGrading:
    """The person's agency's grading of one case, made or changed while the audit grades."""
    audit = case.audit
    agency = grading_agency(user, audit)
    require(agency is not None, "Only the leads of the agencies asked grade the cases")
    require(audit.state == CaseAuditState.GRADING, "The audit is not taking gradings")
    require(grade in Grade.values, "Choose a grade")
    grading, _ = CaseGrading.objects.update_or_create(
        case=case,
        agency=agency,
        defaults={
            "grade": grade,
            "worked_well": worked_well.strip(),
            "worried_about": worried_about.strip(),
            "needs_to_happen": needs_to_happen.strip(),
            "graded_by": user,
            "graded_at": timezone.now(),
        },
    )
    _log(audit, "graded", user, case=case.pk, agency=agency.pk, grade=grade)
    return grading


def agree_grade(case: AuditCase, user, *, grade: int) -> AuditCase:
    """The moderation meeting's grade for one case, recorded with who and when."""
    audit = case.audit
    require(may_moderate(user, audit), "Only quality assurance and managers record moderation")
    require(audit.state == CaseAuditState.GRADING, "Moderation follows the agencies' grading")
    require(grade in Grade.values, "Choose the agreed grade")
    case.agreed_grade, case.agreed_by, case.agreed_at = grade, user, timezone.now()
    case.save(update_fields=["agreed_grade", "agreed_by", "agreed_at"])
    _log(audit, "agreed", user, case=case.pk, grade=grade)
    return case


def good_of(audit: CaseAudit) -> tuple[int, int]:
    """(cases agreed good or outstanding, cases in the sample)."""
    grades = list(audit.cases.values_list("agreed_grade", flat=True))
    return sum(Grade.good_or_better(g) for g in grades), len(grades)


def comparison(audit: CaseAudit) -> str:
    """ "Re-audit WIR-MAA-2027-03: 6 of 10 cases good or better, was 2 of 10 (WIR-MAA-2026-02)." """
    good, total = good_of(audit)
    was, was_total = good_of(audit.re_audit_of)
    return (
        f"Re-audit {audit.reference}: {good} of {total} cases good or better, was {was} of "
        f"{was_total} ({audit.re_audit_of.reference})."
    )


def close_moderation(audit: CaseAudit, user) -> CaseAudit:
    """Moderation is done when every case has its agreed grade; a re-audit's comparison then
    goes on the action it tests as evidence of impact (a re-audit)."""
    require(may_moderate(user, audit), "Only quality assurance and managers record moderation")
    require(audit.state == CaseAuditState.GRADING, "Moderation follows the agencies' grading")
    require(
        not audit.cases.filter(agreed_grade__isnull=True).exists(),
        "Agree a grade for every case first",
    )
    with transaction.atomic():
        audit.state = CaseAuditState.MODERATED
        audit.moderated_by, audit.moderated_at = user, timezone.now()
        if audit.re_audit_of_id and audit.tested_action_id:
            audit.impact_evidence = add_re_audit_evidence(
                audit.tested_action, user, comparison(audit)
            )
        audit.save(update_fields=["state", "moderated_by", "moderated_at", "impact_evidence"])
        _log(audit, "moderated", user)
    return audit


def testable_actions(partnership_id):
    return Action.objects.filter(partnership_id=partnership_id, state__in=TESTABLE_STATES)
