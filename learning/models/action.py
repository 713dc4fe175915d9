"""Follow-up actions: what each agency does about a recommendation, until the learning is embedded.

The lifecycle is open -> in progress -> completed (evidence of completion) -> impact evidenced
(evidence of impact) -> embedded (signed off by quality assurance), or closed as not achieved with
the reason. The rules that move an action live in `learning.actions` (services); the model keeps the
facts and the derived RAG rating."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import ItemBase
from wagtail.search import index

from partnership.access import AccessRule, SharingLevel
from partnership.models import Role, Theme


class ActionSource(models.TextChoices):
    RECOMMENDATION = "recommendation", "Review recommendation"
    AUDIT = "audit", "Multi-agency or Section 11/175 audit"
    PEER_REVIEW = "peer_review", "Peer review"
    INSPECTION = "inspection", "Inspection"
    MEETING = "meeting", "Board or group meeting"


class ActionState(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    IMPACT_EVIDENCED = "impact_evidenced", "Impact evidenced"
    EMBEDDED = "embedded", "Embedded"
    NOT_ACHIEVED = "not_achieved", "Closed: not achieved"

    @classmethod
    def from_text(cls, text: str) -> "ActionState | None":
        folded = " ".join((text or "").replace("_", " ").replace("-", " ").split()).casefold()
        for member in cls:
            names = {member.value.replace("_", " "), member.label.casefold()}
            if member is cls.NOT_ACHIEVED:
                names |= {"not achieved", "closed"}
            if folded in names:
                return member
        return None


OPEN_STATES = (ActionState.OPEN, ActionState.IN_PROGRESS)
CLOSED_STATES = (ActionState.EMBEDDED, ActionState.NOT_ACHIEVED)


class RAG(models.TextChoices):
    """Red, amber, green, and blue for complete, as partnerships rate actions."""

    RED = "red", "Red: overdue"
    AMBER = "amber", "Amber: due within 14 days"
    GREEN = "green", "Green: on track"
    BLUE = "blue", "Blue: complete"
    GREY = "grey", "Grey: closed, not achieved"


class ActionTheme(ItemBase):
    tag = models.ForeignKey(Theme, related_name="tagged_actions", on_delete=models.CASCADE)
    content_object = models.ForeignKey(
        "learning.Action", related_name="themed_items", on_delete=models.CASCADE
    )


AMBER_DAYS = 14


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        from partnership.access import visible_to

        return visible_to(user, self)

    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def mine(self, user):
        """The actions a person answers for: those they lead and, for an agency lead, every
        action their agency owns. Within what the access policy lets them see."""
        from partnership.access import has_role, membership_of
        from partnership.models import Role

        membership = membership_of(user)
        if membership is None:
            return self.none()
        answerable = Q(lead_id=user.pk)
        if membership.agency_id and has_role(user, Role.AGENCY_LEAD):
            answerable |= Q(owner_agency_id=membership.agency_id)
        return self.visible_to(user).filter(answerable)

    def overdue(self, today: date):
        return self.open().filter(due_date__lt=today)

    def due_within(self, today: date, days: int):
        return self.open().filter(due_date__gte=today, due_date__lte=today + timedelta(days=days))

    def with_rag(self, today: date):
        """Annotate `rag` in the database, so lists and reports can filter and count by it."""
        return self.annotate(
            rag=models.Case(
                models.When(state=ActionState.NOT_ACHIEVED, then=models.Value(RAG.GREY)),
                models.When(
                    state__in=(
                        ActionState.COMPLETED,
                        ActionState.IMPACT_EVIDENCED,
                        ActionState.EMBEDDED,
                    ),
                    then=models.Value(RAG.BLUE),
                ),
                models.When(due_date__lt=today, then=models.Value(RAG.RED)),
                models.When(
                    due_date__lte=today + timedelta(days=AMBER_DAYS), then=models.Value(RAG.AMBER)
                ),
                default=models.Value(RAG.GREEN),
                output_field=models.CharField(),
            )
        )


class Action(index.Indexed, models.Model):
    """A SMART action owned by an agency, with a named lead and a due date."""

    reference = models.CharField(max_length=40, unique=True)
    source = models.CharField(
        max_length=20, choices=ActionSource.choices, default=ActionSource.RECOMMENDATION
    )
    recommendation = models.ForeignKey(
        "reviews.Recommendation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
    )
    review = models.ForeignKey(
        "reviews.Review",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
        help_text="The review, audit or peer review the action comes from.",
    )
    source_detail = models.CharField(
        max_length=255,
        blank=True,
        help_text='For inspections and meetings: e.g. "Executive group, 12 March 2026, item 5".',
    )
    description = models.TextField(
        help_text="Specific, measurable, achievable, relevant and time-bound: what will be done."
    )
    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.PROTECT, related_name="actions"
    )
    owner_agency = models.ForeignKey(
        "partnership.Agency", on_delete=models.PROTECT, related_name="actions"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_actions",
        help_text="Empty: the owning agency's leads receive the reminders.",
    )
    due_date = models.DateField()
    original_due_date = models.DateField(
        null=True, blank=True, help_text="The due date before any agreed extension."
    )
    state = models.CharField(max_length=20, choices=ActionState.choices, default=ActionState.OPEN)
    state_changed_at = models.DateTimeField(default=timezone.now)
    progress = models.TextField(blank=True, help_text="The latest progress update.")
    closed_reason = models.TextField(blank=True, help_text="Why it was not achieved.")
    embedded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    embedded_at = models.DateTimeField(null=True, blank=True)
    sharing_level = models.CharField(
        max_length=20, choices=SharingLevel.choices, default=SharingLevel.PARTNERSHIP
    )
    themes = TaggableManager(through=ActionTheme, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What the outbox has told people about it (reminders, escalations), deleted with it.
    notices = GenericRelation("hub.Notice")

    objects = ActionQuerySet.as_manager()

    # Quality assurance signs actions off as embedded, so it oversees all of its partnership's.
    access_rule = AccessRule(
        partnership="partnership",
        named_people=("lead",),
        agency="owner_agency",
        overseen_by=(Role.PARTNERSHIP_MANAGER, Role.QUALITY_ASSURANCE),
    )

    search_fields = [
        index.SearchField("reference"),
        index.SearchField("description"),
        index.FilterField("state"),
        index.FilterField("sharing_level"),
        index.FilterField("partnership"),
    ]

    class Meta:
        ordering = ["due_date", "reference"]
        indexes = [
            models.Index(fields=["state", "due_date"]),
            # The actions report's first page, soonest due first (ties by id): walked in order
            # and stopped at 50 visible rows, rather than sorting every action.
            models.Index(fields=["due_date", "id"], name="learning_action_due_idx"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.description[:60]}"

    def rag(self, today: date | None = None) -> RAG:
        today = today or timezone.localdate()
        if self.state == ActionState.NOT_ACHIEVED:
            return RAG.GREY
        if self.state not in OPEN_STATES:
            return RAG.BLUE
        if self.due_date < today:
            return RAG.RED
        if self.due_date <= today + timedelta(days=AMBER_DAYS):
            return RAG.AMBER
        return RAG.GREEN

    def is_overdue(self, today: date | None = None) -> bool:
        return self.state in OPEN_STATES and self.due_date < (today or timezone.localdate())


class ActionEvent(models.Model):
    """The history of an action: every state change, progress note and extension decision."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        STATE_CHANGED = "state_changed", "State changed"
        PROGRESS = "progress", "Progress update"
        EVIDENCE = "evidence", "Evidence added"
        EXTENSION_REQUESTED = "extension_requested", "Extension requested"
        EXTENSION_DECIDED = "extension_decided", "Extension decided"
        EDITED = "edited", "Edited"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    from_state = models.CharField(max_length=20, choices=ActionState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=ActionState.choices, blank=True)
    note = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.action.reference}: {self.get_kind_display()}"


class EvidenceKind(models.TextChoices):
    COMPLETION = "completion", "Evidence of completion"
    IMPACT = "impact", "Evidence of impact"


class ImpactType(models.TextChoices):
    RE_AUDIT = "re_audit", "Re-audit"
    PRACTITIONER_SURVEY = "practitioner_survey", "Practitioner survey"
    TRAINING_FOLLOW_UP = "training_follow_up", "Training follow-up evaluation"
    PERFORMANCE_DATA = "performance_data", "Performance data"
    BRIEFING_REACH = "briefing_reach", "Briefing read and understood"
    OTHER = "other", "Other"


class Evidence(models.Model):
    """What shows an action was done, or that it changed practice. Documents stay private:
    they are served only through the permission-checking document view."""

    # Evidence outlives any attempt to delete what it proves: the action, its file, its author.
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    impact_type = models.CharField(max_length=30, choices=ImpactType.choices, blank=True)
    text = models.TextField()
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self):
        return f"{self.action.reference}: {self.get_kind_display()}"


class ExtensionDecision(models.TextChoices):
    PENDING = "pending", "Awaiting decision"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class ExtensionRequest(models.Model):
    """An agency lead's request for more time, which quality assurance approves or refuses."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="extension_requests")
    requested_due_date = models.DateField()
    reason = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(
        max_length=10, choices=ExtensionDecision.choices, default=ExtensionDecision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            # One open request at a time: a second would race the first's decision.
            models.UniqueConstraint(
                fields=["action"],
                condition=Q(decision="pending"),
                name="one_pending_extension_per_action",
            )
        ]

    def __str__(self):
        return f"{self.action.reference}: extension to {self.requested_due_date:%d %B %Y}"
