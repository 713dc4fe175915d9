"""One record for every kind of review the partnership runs, from rapid review to peer review."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import ItemBase
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from partnership.access import AccessRule, SharingLevel
from partnership.models import PartnershipKind, Theme

from ..pseudonyms import refuse_shared_copy, shareable_title


class ReviewType(models.TextChoices):
    RAPID_REVIEW = "rapid_review", "Rapid review"
    LCSPR = "lcspr", "Local Child Safeguarding Practice Review"
    NATIONAL_REVIEW = "national_review", "National review (Panel-led)"
    SAR = "sar", "Safeguarding Adults Review"
    DARDR = "dardr", "Domestic Abuse Related Death Review"
    CHILD_DEATH_REVIEW = "child_death_review", "Child death review"
    MULTI_AGENCY_AUDIT = "multi_agency_audit", "Multi-agency audit"
    SECTION_11_AUDIT = "section_11_audit", "Section 11 audit"
    SECTION_175_AUDIT = "section_175_audit", "Section 175 audit"
    PEER_REVIEW = "peer_review", "Peer review"
    LEARNING_REVIEW = "learning_review", "Learning review"

    @classmethod
    def from_text(cls, text: str) -> "ReviewType | None":
        """A type from its code, its name or a common abbreviation, in any case.

        Trackers write "Rapid review", "rapid_review", "LCSPR", "DHR" or "Multi-agency audit"."""
        folded = " ".join((text or "").replace("_", " ").replace("-", " ").split()).casefold()
        if not folded:
            return None
        for member in cls:
            names = {member.value.replace("_", " "), member.label.casefold()}
            names |= {a.casefold() for a in REVIEW_TYPE_ALIASES.get(member, ())}
            if folded in {" ".join(n.replace("-", " ").split()).casefold() for n in names}:
                return member
        return None


REVIEW_TYPE_ALIASES = {
    ReviewType.RAPID_REVIEW: ("RR", "rapid"),
    ReviewType.LCSPR: ("LCSPR", "local child safeguarding practice review", "CSPR"),
    ReviewType.NATIONAL_REVIEW: ("national review", "national", "panel review"),
    ReviewType.SAR: ("SAR", "safeguarding adult review"),
    ReviewType.DARDR: ("DARDR", "DHR", "domestic homicide review"),
    ReviewType.CHILD_DEATH_REVIEW: ("CDR", "child death"),
    ReviewType.MULTI_AGENCY_AUDIT: ("MAA", "thematic audit", "multi agency thematic audit"),
    ReviewType.SECTION_11_AUDIT: ("S11", "section 11"),
    ReviewType.SECTION_175_AUDIT: ("S175", "section 175"),
    ReviewType.PEER_REVIEW: ("peer",),
    ReviewType.LEARNING_REVIEW: ("learning",),
}

CHILD_REVIEW_TYPES = {
    ReviewType.RAPID_REVIEW,
    ReviewType.LCSPR,
    ReviewType.NATIONAL_REVIEW,
    ReviewType.CHILD_DEATH_REVIEW,
}
CASE_REVIEW_TYPES = CHILD_REVIEW_TYPES | {
    ReviewType.SAR,
    ReviewType.DARDR,
    ReviewType.LEARNING_REVIEW,
}
# Who may lead each kind of review, in law: children's reviews by the children's partnership
# (Working Together 2023), a SAR by the safeguarding adults board (Care Act 2014, s44), and a
# DARDR by the community safety partnership (Domestic Violence, Crime and Victims Act 2004, s9),
# which often asks the adults board to run it. A joint partnership may lead either kind. Audits,
# peer reviews and learning reviews may be led by any partnership.
LEAD_KINDS = {
    **{kind: {PartnershipKind.CHILDREN, PartnershipKind.JOINT} for kind in CHILD_REVIEW_TYPES},
    ReviewType.SAR: {PartnershipKind.ADULTS, PartnershipKind.JOINT},
    ReviewType.DARDR: {
        PartnershipKind.COMMUNITY_SAFETY,
        PartnershipKind.ADULTS,
        PartnershipKind.JOINT,
    },
}


def may_lead(review_type: str, partnership_kind: str) -> bool:
    kinds = LEAD_KINDS.get(review_type)
    return kinds is None or partnership_kind in kinds


PUBLISHABLE_TYPES = {ReviewType.LCSPR, ReviewType.SAR, ReviewType.DARDR, ReviewType.NATIONAL_REVIEW}


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_PROGRESS = "in_progress", "In progress"
    AWAITING_SIGN_OFF = "awaiting_sign_off", "Awaiting sign-off"
    SIGNED_OFF = "signed_off", "Signed off / submitted"
    PUBLISHED = "published", "Published"
    PUBLISHED_IMPROVEMENTS_ONLY = "published_improvements_only", "Published (improvements only)"
    NOT_PUBLISHED = "not_published", "Not published"
    EMBARGOED = "embargoed", "Embargoed"


# A review's report is public learning once it is published (in full or improvements only).
PUBLISHED_STATUSES = [ReviewStatus.PUBLISHED, ReviewStatus.PUBLISHED_IMPROVEMENTS_ONLY]
# A finding is learning once its review has been signed off: never while it is being written, and
# never while its publication is embargoed (a trial may depend on it).
SETTLED_STATUSES = [
    ReviewStatus.SIGNED_OFF,
    ReviewStatus.PUBLISHED,
    ReviewStatus.PUBLISHED_IMPROVEMENTS_ONLY,
    ReviewStatus.NOT_PUBLISHED,
]


class Decision(models.TextChoices):
    LCSPR = "lcspr", "Local Child Safeguarding Practice Review"
    NATIONAL_REVIEW = "national_review", "Refer for a national review"
    NO_FURTHER_REVIEW = "no_further_review", "No further review"
    SAR = "sar", "Safeguarding Adults Review"
    DARDR = "dardr", "Domestic Abuse Related Death Review"

    @classmethod
    def from_text(cls, text: str) -> "Decision | None":
        folded = " ".join((text or "").replace("_", " ").split()).casefold()
        if not folded:
            return None
        for member in cls:
            if folded in {member.value.replace("_", " "), member.label.casefold()}:
                return member
        review_type = ReviewType.from_text(text)
        if review_type and review_type.value in cls.values:
            return cls(review_type.value)
        if folded in {"nfa", "no further action", "none", "no review"}:
            return cls.NO_FURTHER_REVIEW
        return None


class AgeBand(models.TextChoices):
    UNBORN = "unborn", "Unborn"
    UNDER_1 = "under_1", "Under 1"
    AGE_1_4 = "1_4", "1 to 4"
    AGE_5_10 = "5_10", "5 to 10"
    AGE_11_15 = "11_15", "11 to 15"
    AGE_16_17 = "16_17", "16 to 17"
    ADULT_18_24 = "18_24", "Adult, 18 to 24"
    ADULT_25_64 = "25_64", "Adult, 25 to 64"
    ADULT_65_PLUS = "65_plus", "Adult, 65 and over"
    SEVERAL = "several", "Several subjects"


class LevelOfNeed(models.IntegerChoices):
    """The continuum of need at the time of the incident."""

    UNIVERSAL = 1, "Level 1: universal"
    ADDITIONAL = 2, "Level 2: additional needs (early help)"
    COMPLEX = 3, "Level 3: complex needs (child in need)"
    ACUTE = 4, "Level 4: acute (child protection)"


class ReviewTheme(ItemBase):
    tag = models.ForeignKey(Theme, related_name="tagged_reviews", on_delete=models.CASCADE)
    content_object = ParentalKey(
        "reviews.Review", related_name="themed_items", on_delete=models.CASCADE
    )


class ReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        from partnership.access import visible_to

        return visible_to(user, self)

    def of_type(self, *types):
        return self.filter(review_type__in=types)

    def of_partnerships(self, partnership_ids):
        """Reviews these partnerships lead or take part in (`None`: every partnership's), for
        the records that follow from a review, such as actions. Not an access rule."""
        return self.filter(of_partnerships_q(partnership_ids))

    def involving(self, user):
        """Reviews whose deadlines are `user`'s to meet: see `involvement_q`. Not an access
        rule: combine it with `visible_to`."""
        return self.filter(involvement_q(user))


def of_partnerships_q(partnership_ids, path: str = "") -> models.Q:
    """`ReviewQuerySet.of_partnerships` from another model: `path` reaches the review."""
    if partnership_ids is None:
        return models.Q()
    taking_part = Review.participating_partnerships.through.objects.filter(
        partnership_id__in=partnership_ids
    ).values("review_id")
    return models.Q(**{f"{path}lead_partnership_id__in": partnership_ids}) | models.Q(
        **{f"{path}pk__in": taking_part}
    )


def involvement_q(user, path: str = "") -> models.Q:
    """The reviews `user`'s partnership leads or takes part in, or whose panel they sit on;
    `path` reaches the review from another model ("review__"). Someone with no partnership (a
    superuser) is held to none in particular, so nothing is narrowed.

    The two many-to-many parts are subqueries of their link tables rather than joins: a join
    would repeat a review once per partnership and panel member, and PostgreSQL answers a
    hashed subquery far faster than the OR across joins."""
    from partnership.access import membership_of

    membership = membership_of(user)
    if membership is None:
        return models.Q()
    pk = f"{path}pk" if path else "pk"
    taking_part = Review.participating_partnerships.through.objects.filter(
        partnership_id=membership.partnership_id
    ).values("review_id")
    on_panel = Review.panel.through.objects.filter(user_id=user.pk).values("review_id")
    return (
        models.Q(**{f"{path}lead_partnership_id": membership.partnership_id})
        | models.Q(**{f"{pk}__in": taking_part})
        | models.Q(**{f"{pk}__in": on_panel})
    )


class Review(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    ClusterableModel,
):
    """A case review, audit or peer review, with its statutory milestones and sign-off.

    A ClusterableModel so that its findings, recommendations, themes, agencies and panel are
    kept in each revision and compared, previewed and signed off together, as reviewers expect
    of Wagtail. The subject is a pseudonym: real names, dates of birth, addresses and case
    numbers go only in `confidential_details`, which the panel alone can read and which is
    never indexed, exported, emailed or served by the API."""

    reference = models.CharField(
        max_length=40, unique=True, help_text="The partnership's reference, e.g. WIR-RR-2026-03."
    )
    review_type = models.CharField("type", max_length=30, choices=ReviewType.choices)
    title = models.CharField(max_length=255)
    subject_pseudonym = models.CharField(
        max_length=60, blank=True, help_text='A pseudonym, never a name: "Child Q", "Adult B".'
    )
    age_band = models.CharField(max_length=20, choices=AgeBand.choices, blank=True)
    lead_partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.PROTECT, related_name="led_reviews"
    )
    participating_partnerships = ParentalManyToManyField(
        "partnership.Partnership",
        blank=True,
        related_name="participating_reviews",
        help_text="For cross-boundary cases: the partnership where the subject lives takes part.",
    )
    agencies = ParentalManyToManyField("partnership.Agency", blank=True, related_name="reviews")
    themes = ClusterTaggableManager(through=ReviewTheme, blank=True)
    level_of_need = models.PositiveSmallIntegerField(
        choices=LevelOfNeed.choices, null=True, blank=True
    )

    incident_date = models.DateField(null=True, blank=True)
    aware_date = models.DateField(
        null=True, blank=True, help_text="When the partnership became aware of the incident."
    )
    notification_date = models.DateField(
        null=True, blank=True, help_text="When the serious incident notification was sent."
    )
    decision_date = models.DateField(null=True, blank=True)
    start_date = models.DateField(
        null=True,
        blank=True,
        help_text="For audits, peer reviews and learning reviews: when the work began.",
    )
    publication_date = models.DateField(null=True, blank=True)

    status = models.CharField(
        max_length=30, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    decision = models.CharField(max_length=30, choices=Decision.choices, blank=True)
    status_reason = models.TextField(
        blank=True,
        help_text="Why it is not published, published with improvements only, or embargoed.",
    )
    summary = models.TextField(
        blank=True, help_text="What happened and why it matters, with no identifying detail."
    )
    confidential_details = models.TextField(
        blank=True,
        help_text="Identifying case detail. Visible only to the review's panel; never searched, "
        "exported, emailed or shared.",
    )
    sharing_level = models.CharField(
        max_length=20, choices=SharingLevel.choices, default=SharingLevel.RESTRICTED
    )
    panel = ParentalManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="review_panels"
    )
    converted_from = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="converted_to",
        help_text="The rapid review this review was opened from.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewQuerySet.as_manager()

    access_rule = AccessRule(
        partnership="lead_partnership",
        participating=("participating_partnerships",),
        named_people=("panel",),
    )

    # Never confidential_details: the search index is outside the panel's walls.
    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("reference"),
        index.SearchField("summary"),
        index.FilterField("review_type"),
        index.FilterField("status"),
        index.FilterField("lead_partnership"),
        index.FilterField("sharing_level"),
        index.AutocompleteField("title"),
    ]

    class Meta:
        ordering = ["-created_at"]
        permissions = [("export_review", "Can export reviews")]

    def __str__(self):
        # Wagtail names a review by this wherever it is not being edited (listings, choosers,
        # history, log entries, workflow emails, reports): without the subject's pseudonym.
        return f"{self.reference}: {shareable_title(self)}"

    @property
    def type(self) -> ReviewType:
        return ReviewType(self.review_type)

    # How the library, search and feeds date what a review taught: one rule each, here.
    @property
    def report_date(self):
        """The review's report: published, else decided, else opened."""
        return self.publication_date or self.decision_date or self.created_at.date()

    @property
    def finding_date(self):
        """Its findings and recommendations: the review's publication, else its opening."""
        return self.publication_date or self.created_at.date()

    @property
    def listed_title(self) -> str:
        """The title as the admin listing and its export show it: the review's own to those who
        may change it (the listing marks them `is_home`), without the subject's pseudonym to
        everyone else."""
        return self.title if getattr(self, "is_home", False) else shareable_title(self)

    @property
    def is_child_review(self) -> bool:
        return self.review_type in CHILD_REVIEW_TYPES

    def clean(self):
        super().clean()
        lead = self.lead_partnership if self.lead_partnership_id else None
        if lead is not None and not may_lead(self.review_type, lead.kind):
            leaders = " or ".join(
                PartnershipKind(kind).label.lower()
                for kind in PartnershipKind
                if kind in LEAD_KINDS[self.review_type]
            )
            raise ValidationError(
                {
                    "lead_partnership": (
                        f"A {ReviewType(self.review_type).label.lower()} is led by a {leaders}; "
                        f"{lead} is a {lead.get_kind_display().lower()}. Choose the partnership "
                        "that leads it, and add yours as taking part."
                    )
                }
            )

    def save(self, *args, **kwargs):
        refuse_shared_copy(self)
        super().save(*args, **kwargs)

    def get_admin_url(self):
        return reverse("wagtailsnippets_reviews_review:edit", args=[self.pk])

    def get_preview_template(self, request, mode_name):
        return "reviews/review_preview.html"
