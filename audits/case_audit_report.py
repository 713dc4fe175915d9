"""Case-audit grades by theme over time and by agency: what the partnership's audits found, from
the audits and gradings the reader may see, in a fixed number of queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from hub import charts
from partnership.access import visible_to

from .models import AuditCase, CaseAudit, CaseAuditState, CaseGrading, Grade

GRADE_COLOURS = {
    Grade.OUTSTANDING: charts.BLUE,
    Grade.GOOD: charts.GREEN,
    Grade.REQUIRES_IMPROVEMENT: charts.AMBER,
    Grade.INADEQUATE: charts.RED,
}


@dataclass
class AuditRow:
    audit: CaseAudit
    grades: Counter

    @property
    def cases(self) -> int:
        return sum(self.grades.values())

    @property
    def good(self) -> int:
        return self.grades[Grade.GOOD] + self.grades[Grade.OUTSTANDING]

    @property
    def percent(self) -> int:
        return round(100 * self.good / self.cases) if self.cases else 0


@dataclass
class AgencyRow:
    agency: str
    graded: int
    good: int

    @property
    def percent(self) -> int:
        return round(100 * self.good / self.graded) if self.graded else 0


def build(user) -> tuple[list[AuditRow], list[AgencyRow]]:
    audits = (
        CaseAudit.objects.visible_to(user)
        .filter(state=CaseAuditState.MODERATED)
        .select_related("review", "theme", "re_audit_of__review")
        .order_by("theme__name", "quarter", "pk")
    )
    audits = list(audits)
    grades = defaultdict(Counter)
    for audit_id, grade in (
        AuditCase.objects.filter(audit__in=[a.pk for a in audits])
        .exclude(agreed_grade__isnull=True)
        .values_list("audit_id", "agreed_grade")
    ):
        grades[audit_id][grade] += 1
    by_audit = [AuditRow(audit, grades[audit.pk]) for audit in audits]
    agencies = defaultdict(lambda: [0, 0])
    gradings = visible_to(user, CaseGrading.objects.filter(case__audit__in=[a.pk for a in audits]))
    for name, grade in gradings.values_list("agency__name", "grade"):
        agencies[name][0] += 1
        agencies[name][1] += Grade.good_or_better(grade)
    by_agency = [AgencyRow(name, *counts) for name, counts in sorted(agencies.items())]
    return by_audit, by_agency


def chart(rows: list[AuditRow]) -> charts.BarChart:
    series = [charts.Series(grade.label, GRADE_COLOURS[grade]) for grade in reversed(Grade)]
    return charts.stacked(
        "case-audit-grades",
        "Agreed grades by audit",
        "Each bar is a moderated audit, by theme and quarter; its parts the cases agreed "
        "outstanding, good, requiring improvement and inadequate.",
        series,
        [
            (
                f"{row.audit.theme.name}, {row.audit.quarter_label}",
                [row.grades[grade] for grade in reversed(Grade)],
            )
            for row in rows
        ],
        table_id="by-theme",
    )


def export_rows(rows: list[AuditRow]) -> tuple[list[str], list[list]]:
    columns = ["theme", "audit", "quarter", "re-audit of", "cases", "good or better", "percent"]
    return columns, [
        [
            row.audit.theme.name,
            row.audit.reference,
            row.audit.quarter_label,
            row.audit.re_audit_of.reference if row.audit.re_audit_of_id else "",
            row.cases,
            row.good,
            row.percent,
        ]
        for row in rows
    ]
