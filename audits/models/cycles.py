"""A self-assessment cycle: a partnership asks its agencies (or its schools, for Section 175) to
rate themselves against one version of a standards set by a due date. Each agency's return holds
one assessment per standard; quality assurance challenges a rating, the agency answers, and the
agreed rating is recorded with who and when. The rules that move them live in `audits.cycles`."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from partnership.access import AccessRule, SharingLevel, VisibleQuerySet
from partnership.models import Role

# Who oversees every return of their own partnership, restricted ones included: the people who
# run the self-assessment (managers, quality assurance) and those who hold it to account.
RETURN_OVERSEERS = (
    Role.PARTNERSHIP_MANAGER,
    Role.QUALITY_ASSURANCE,
    Role.INDEPENDENT_SCRUTINEER,
    Role.EXECUTIVE_GROUP,
)


class Cycle(models.Model):
    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.PROTECT, related_name="audit_cycles"
    )
    standard_set = models.ForeignKey(
        "audits.StandardSet", on_delete=models.PROTECT, related_name="cycles"
    )
    reference = models.CharField(
        max_length=40,
        unique=True,
        help_text='Its address and its name in trackers: "WIR-S11-2027".',
    )
    title = models.CharField(max_length=150, help_text='"Section 11 self-assessment 2026-27".')
    due_date = models.DateField(help_text="When every return is due.")
    sharing_level = models.CharField(
        max_length=20, choices=SharingLevel.choices, default=SharingLevel.PARTNERSHIP
    )
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The cycle whose answers were carried forward into this one.",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)

    objects = VisibleQuerySet.as_manager()
    access_rule = AccessRule()

    class Meta:
        ordering = ["-due_date", "-pk"]
        verbose_name = "self-assessment cycle"

    def __str__(self):
        return self.title


class ReturnState(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    AGREED = "agreed", "Agreed"


class AgencyReturn(models.Model):
    """One agency's self-assessment in a cycle, submitted by its lead and signed by a named
    senior officer. Restricted by default: its agency's leads and the partnership's overseers."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="returns")
    agency = models.ForeignKey(
        "partnership.Agency", on_delete=models.PROTECT, related_name="audit_returns"
    )
    state = models.CharField(
        max_length=20, choices=ReturnState.choices, default=ReturnState.NOT_STARTED
    )
    sharing_level = models.CharField(
        max_length=20, choices=SharingLevel.choices, default=SharingLevel.RESTRICTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_by_name = models.CharField(
        max_length=150, blank=True, verbose_name="signed by (senior officer)"
    )
    signed_by_role = models.CharField(max_length=150, blank=True, verbose_name="their role")
    agreed_at = models.DateTimeField(null=True, blank=True)

    objects = VisibleQuerySet.as_manager()
    access_rule = AccessRule(
        partnership="cycle__partnership", agency="agency", overseen_by=RETURN_OVERSEERS
    )

    class Meta:
        ordering = ["cycle", "agency__name"]
        verbose_name = "agency return"
        constraints = [
            models.UniqueConstraint(fields=["cycle", "agency"], name="return_unique_agency")
        ]

    def __str__(self):
        return f"{self.cycle.title}: {self.agency.name}"


class Assessment(models.Model):
    """An agency's rating of itself against one standard, and what became of it."""

    agency_return = models.ForeignKey(
        AgencyReturn, on_delete=models.CASCADE, related_name="assessments"
    )
    standard = models.ForeignKey(
        "audits.Standard", on_delete=models.PROTECT, related_name="assessments"
    )
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    narrative = models.TextField(blank=True)
    improvement = models.TextField(blank=True, verbose_name="the agency's improvement actions")
    carried_forward = models.BooleanField(
        default=False, help_text="Filled in from the agency's return in the previous cycle."
    )
    challenge = models.TextField(blank=True)
    challenged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    challenged_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(blank=True)
    response_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    agreed_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    action = models.ForeignKey(
        "learning.Action",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_assessments",
        help_text="The improvement action an agreed red or amber rating created.",
    )

    challenge_event = models.ForeignKey(
        "audits.ChallengeEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="challenges",
        help_text="The challenge and support event the challenge was made at, if any.",
    )

    class Meta:
        ordering = ["agency_return", "standard__sort_order", "standard__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency_return", "standard"], name="assessment_unique_standard"
            )
        ]

    def __str__(self):
        return f"{self.agency_return}: {self.standard.code}"

    @property
    def status(self) -> str:
        if self.agreed_rating is not None:
            return "agreed"
        if self.challenge and self.responded_at and self.responded_at >= self.challenged_at:
            return "answered"
        if self.challenge:
            return "challenged"
        return "rated" if self.rating is not None else "unrated"


class AssessmentEvent(models.Model):
    """The history of an assessment: each rating, challenge, answer and agreement, so that a
    second challenge or a carried-forward edit never loses what was said before."""

    class Kind(models.TextChoices):
        RATED = "rated", "Rated"
        CHALLENGED = "challenged", "Challenged"
        ANSWERED = "answered", "Answered"
        AGREED = "agreed", "Agreed"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.assessment}: {self.get_kind_display()}"


class ReturnEvidence(models.Model):
    """A document an agency offers as evidence for its return. Private: served only to people
    who may see the return (`audits.wagtail_hooks`)."""

    agency_return = models.ForeignKey(
        AgencyReturn, on_delete=models.PROTECT, related_name="evidence"
    )
    standard = models.ForeignKey(
        "audits.Standard", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(max_length=255)
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name_plural = "return evidence"

    def __str__(self):
        return f"{self.agency_return}: {self.description}"
