"""Multi-agency case audits: the partnership's programme of themed audits, quarter by quarter.

An audit tests practice on one theme against a sample of children's cases, named only by a
pseudonymised identifier ("Case A") with the level of need and age band: never a name, date of
birth or address. Each agency asked grades each case it knew (outstanding, good, requires
improvement, inadequate, with what worked well, what worries it and what needs to happen); a
moderation meeting agrees one grade per case. The audit's findings are ordinary findings of the
review it opens (`review`, of type multi-agency audit): searched, shared and recommendation-bearing
as every finding is. A re-audit repeats an earlier audit on its theme to test whether an action's
learning stuck; its agreed grades beside the earlier audit's become that action's evidence of
impact. The rules live in `audits.case_audits`."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from partnership.access import AccessRule, SharingLevel, VisibleQuerySet
from reviews.models import AgeBand, LevelOfNeed

from .cycles import RETURN_OVERSEERS


class Grade(models.IntegerChoices):
    INADEQUATE = 1, "Inadequate"
    REQUIRES_IMPROVEMENT = 2, "Requires improvement"
    GOOD = 3, "Good"
    OUTSTANDING = 4, "Outstanding"

    @classmethod
    def good_or_better(cls, value) -> bool:
        return value is not None and value >= cls.GOOD


class CaseAuditState(models.TextChoices):
    PLANNED = "planned", "Planned"
    GRADING = "grading", "Agencies grading"
    MODERATED = "moderated", "Moderated"


def quarter_label(day: date) -> str:
    """ "April to June 2027": the quarter a date starts, in the words of a programme."""
    months = ["January to March", "April to June", "July to September", "October to December"]
    return f"{months[(day.month - 1) // 3]} {day.year}"


class CaseAudit(models.Model):
    review = models.OneToOneField(
        "reviews.Review", on_delete=models.PROTECT, related_name="case_audit"
    )
    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.PROTECT, related_name="case_audits"
    )
    theme = models.ForeignKey(
        "partnership.Theme", on_delete=models.PROTECT, related_name="case_audits"
    )
    quarter = models.DateField(help_text="The first day of the quarter the audit runs in.")
    questions = models.TextField(help_text="The audit's questions, one per line.")
    agencies = models.ManyToManyField("partnership.Agency", related_name="case_audits")
    state = models.CharField(
        max_length=20, choices=CaseAuditState.choices, default=CaseAuditState.PLANNED
    )
    sharing_level = models.CharField(
        max_length=20, choices=SharingLevel.choices, default=SharingLevel.PARTNERSHIP
    )
    re_audit_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="re_audits"
    )
    tested_action = models.ForeignKey(
        "learning.Action",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="re_audits",
        help_text="The action whose learning this re-audit tests.",
    )
    impact_evidence = models.ForeignKey(
        "learning.Evidence", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    objects = VisibleQuerySet.as_manager()
    access_rule = AccessRule(overseen_by=RETURN_OVERSEERS)

    class Meta:
        ordering = ["-quarter", "pk"]
        verbose_name = "multi-agency case audit"

    def __str__(self):
        return self.review.title

    @property
    def reference(self) -> str:
        return self.review.reference

    @property
    def quarter_label(self) -> str:
        return quarter_label(self.quarter)

    @property
    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]


class AuditCase(models.Model):
    """One case of the sample: a pseudonymised identifier, never anything that names the child."""

    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="cases")
    identifier = models.CharField(
        max_length=20, help_text='A pseudonymised identifier: "Case A", "MACA-07".'
    )
    level_of_need = models.PositiveSmallIntegerField(choices=LevelOfNeed.choices)
    age_band = models.CharField(max_length=20, choices=AgeBand.choices)
    agreed_grade = models.PositiveSmallIntegerField(choices=Grade.choices, null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["audit", "identifier"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "identifier"], name="audit_case_unique_id")
        ]

    def __str__(self):
        return self.identifier


class CaseGrading(models.Model):
    """One agency's grading of one case: restricted to the agency and the partnership's
    overseers, since what worries an agency about a child's case is for them."""

    case = models.ForeignKey(AuditCase, on_delete=models.CASCADE, related_name="gradings")
    agency = models.ForeignKey(
        "partnership.Agency", on_delete=models.PROTECT, related_name="case_gradings"
    )
    grade = models.PositiveSmallIntegerField(choices=Grade.choices)
    worked_well = models.TextField(blank=True, verbose_name="what worked well")
    worried_about = models.TextField(blank=True, verbose_name="what we are worried about")
    needs_to_happen = models.TextField(blank=True, verbose_name="what needs to happen")
    sharing_level = models.CharField(
        max_length=20, choices=SharingLevel.choices, default=SharingLevel.RESTRICTED
    )
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    graded_at = models.DateTimeField(default=timezone.now)

    access_rule = AccessRule(
        partnership="case__audit__partnership", agency="agency", overseen_by=RETURN_OVERSEERS
    )

    class Meta:
        ordering = ["case", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["case", "agency"], name="case_grading_unique_agency")
        ]

    def __str__(self):
        return f"{self.case}: {self.agency}"
