"""The demo's case audit programme for Wirral: a neglect audit moderated three quarters ago
(one case of six good or better) with its finding, a domestic abuse audit whose agencies are
grading now, and last quarter's neglect re-audit (five of six), which tested an embedded action
and put its comparison on it as evidence of impact. Every case is "Case A" to "Case F":
fictional, and pseudonymised as real ones must be."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from learning.models import Action, ActionState
from partnership.demo import World
from partnership.models import Theme
from reviews.services import add_finding

from . import case_audits as services
from .models import CaseAudit

AGENCIES = ("Police", "NHS trust", "CSC", "Early help")
QUESTIONS = (
    "Was the child seen, and seen alone, often enough?\n"
    "Did the plan say what must change, by when and who checks?\n"
    "Did agencies share what they knew when it mattered?\n"
    "Was the impact of neglect over time recognised?"
)
CASES = [(4, "under_1"), (3, "1_4"), (3, "5_10"), (4, "5_10"), (2, "11_15"), (3, "11_15")]
FIRST_GRADES = [1, 2, 2, 3, 2, 2]
RE_AUDIT_GRADES = [3, 3, 2, 4, 3, 3]


def build(world: World, leads: dict[int, object]) -> None:
    wirral = world.partnerships["Wirral"]
    qa = world.people["qa"]
    if CaseAudit.objects.filter(partnership=wirral).exists():
        return
    agencies = [world.agencies[("Wirral", short)] for short in AGENCIES]
    neglect = Theme.objects.get(slug="neglect")
    now = _quarter(timezone.localdate())
    first = _audit(
        qa, wirral, "Neglect: children on child in need plans", neglect, _shift(now, -3), agencies
    )
    _grade_all(first, leads, FIRST_GRADES, qa)
    add_finding(
        first.review,
        qa,
        title="The cumulative harm of neglect was rarely named in plans",
        text="In four of six fictional cases the plan listed incidents but not what they "
        "meant together for the child over time, so drift went unchallenged.",
    )
    domestic = _audit(
        qa,
        wirral,
        "Domestic abuse: children in the household",
        Theme.objects.get(slug="domestic-abuse"),
        now,
        agencies[:3],
    )
    _sample(domestic, qa, 5)
    services.start_grading(domestic, qa)
    for case, grade in zip(domestic.cases.order_by("identifier")[:3], [2, 3, 2], strict=True):
        services.grade_case(
            case,
            leads[agencies[0].pk],
            grade=grade,
            worked_well="Fictional: the referral was made the same day.",
        )
    embedded = Action.objects.filter(partnership=wirral, state=ActionState.EMBEDDED).exclude(
        reference__startswith="BENCH"
    )
    action = (
        embedded.filter(review__themes=neglect).order_by("reference").first()
        or embedded.order_by("reference").first()
    )
    re_audit = services.plan_audit(
        qa,
        wirral,
        title="Re-audit: neglect in child in need plans",
        theme=neglect,
        quarter=_shift(now, -1),
        questions=QUESTIONS,
        agencies=agencies,
        re_audit_of=first,
        tested_action=action,
    )
    _grade_all(re_audit, leads, RE_AUDIT_GRADES, qa)
    world.log.append(f"audits: {CaseAudit.objects.count()} case audits, one a re-audit")


def _quarter(day: date) -> date:
    return services.first_day_of_quarter(day)


def _shift(quarter: date, quarters: int) -> date:
    index = quarter.year * 4 + (quarter.month - 1) // 3 + quarters
    return date(index // 4, 3 * (index % 4) + 1, 1)


def _audit(qa, wirral, title, theme, quarter, agencies) -> CaseAudit:
    return services.plan_audit(
        qa,
        wirral,
        title=title,
        theme=theme,
        quarter=quarter,
        questions=QUESTIONS,
        agencies=agencies,
    )


def _sample(audit, qa, count):
    for n, (need, age) in enumerate(CASES[:count]):
        services.add_case(
            audit, qa, identifier=f"Case {chr(65 + n)}", level_of_need=need, age_band=age
        )


def _grade_all(audit, leads, grades, qa):
    """Every agency grades every case near the agreed grade; moderation agrees it."""
    _sample(audit, qa, len(grades))
    services.start_grading(audit, qa)
    agencies = list(audit.agencies.order_by("name"))
    for case, grade in zip(audit.cases.order_by("identifier"), grades, strict=True):
        for n, agency in enumerate(agencies):
            own = max(1, min(4, grade + (n % 3) - 1))
            services.grade_case(case, leads[agency.pk], grade=own)
        services.agree_grade(case, qa, grade=grade)
    services.close_moderation(audit, qa)
