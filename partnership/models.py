"""The partnership world: the region, its safeguarding partnerships, their agencies, the people in
them and the roles they hold, and the theme vocabulary everything is tagged with."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from taggit.models import TagBase
from wagtail.search import index

from hub.tokens import digest


class Region(models.Model):
    """A group of partnerships that share learning (pan-Mersey)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartnershipKind(models.TextChoices):
    """Whom a partnership safeguards, which decides the reviews it may lead (see
    `reviews.models.review.LEAD_KINDS`)."""

    CHILDREN = "children", "Safeguarding children partnership"
    ADULTS = "adults", "Safeguarding adults board"
    JOINT = "joint", "Joint children and adults partnership"
    COMMUNITY_SAFETY = "community_safety", "Community safety partnership"


class Partnership(models.Model):
    """A local safeguarding partnership, led by the local authority, police and health: for
    children, for adults (a safeguarding adults board), for both, or for community safety."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="partnerships")
    name = models.CharField(max_length=150, unique=True)
    short_name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    website = models.URLField(blank=True)
    kind = models.CharField(
        max_length=20,
        choices=PartnershipKind.choices,
        default=PartnershipKind.CHILDREN,
        help_text="Whom it safeguards: this decides which reviews it may lead.",
    )

    class Meta:
        ordering = ["short_name"]

    def __str__(self):
        return self.short_name


class Sector(models.TextChoices):
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    EARLY_HELP = "early_help", "Early help"
    EDUCATION = "education", "Education"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    VOLUNTARY = "voluntary", "Voluntary sector"
    PARTNERSHIP = "partnership", "Partnership business unit"


class AgencyQuerySet(models.QuerySet):
    def matching(self, term: str):
        """Agencies whose name, short name or sector (code or label) is `term`, in any case.

        Imports name agencies the way partnerships write them: "Merseyside Police", "Police",
        "Health" or "Children's social care"."""
        term = (term or "").strip()
        sectors = [
            value
            for value, label in Sector.choices
            if term.casefold() in (value.casefold(), label.casefold())
        ]
        return self.filter(
            Q(name__iexact=term) | Q(short_name__iexact=term) | Q(sector__in=sectors)
        )


class Agency(models.Model):
    """An organisation that works within a partnership: police, an NHS trust, a school, ..."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="agencies")
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60)
    sector = models.CharField(max_length=30, choices=Sector.choices)
    # Reviews, findings and readings name agencies for good: one that closes or merges is
    # retired, which takes it out of the pickers and keeps it on every record that names it.
    active = models.BooleanField(
        default=True,
        help_text="Untick to retire the agency: records keep naming it; pickers stop offering it.",
    )

    # The digests the outbox has sent about the agency's work, deleted with it.
    notices = GenericRelation("hub.Notice")

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership__short_name", "name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="agency_unique_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.partnership.short_name})"


class Role(models.TextChoices):
    """The roles people hold; each is a Django group of the same name, made by migrations."""

    PARTNERSHIP_MANAGER = "partnership_manager", "Partnership manager"
    REVIEWER = "reviewer", "Reviewer"
    QUALITY_ASSURANCE = "quality_assurance", "Quality assurance"
    AGENCY_LEAD = "agency_lead", "Agency lead"
    TRAINER = "trainer", "Trainer"
    PRACTITIONER = "practitioner", "Practitioner"
    INDEPENDENT_SCRUTINEER = "independent_scrutineer", "Independent scrutineer"
    # Signs off reviews for one of the three statutory partners (local authority, police,
    # health); which partner is read from the sector of the person's agency.
    DELEGATED_SAFEGUARDING_PARTNER = (
        "delegated_safeguarding_partner",
        "Delegated safeguarding partner",
    )
    EXECUTIVE_GROUP = "executive_group", "Executive group member"

    @property
    def group_name(self) -> str:
        return self.label


class Membership(models.Model):
    """Where a person works: one partnership and one agency. Their roles are their groups."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="memberships"
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="memberships",
        null=True,
        blank=True,
        help_text="Leave empty only for people who sit outside every agency, such as the "
        "independent scrutineer.",
    )
    job_title = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["partnership__short_name", "user__last_name", "user__first_name"]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.partnership})"

    def clean(self):
        if self.agency_id and self.agency.partnership_id != self.partnership_id:
            raise ValidationError({"agency": "The agency must belong to the same partnership."})

    @cached_property
    def roles(self) -> frozenset[Role]:
        return roles_of(self.user)


def roles_of(user) -> frozenset[Role]:
    """The roles a user holds, read once per user object (the policy asks often)."""
    cached = getattr(user, "_hub_roles", None)
    if cached is None:
        if not getattr(user, "is_authenticated", False):
            cached = frozenset()
        else:
            by_label = {role.label: role for role in Role}
            names = user.groups.values_list("name", flat=True)
            cached = frozenset(by_label[name] for name in names if name in by_label)
        user._hub_roles = cached
    return cached


class ThemeQuerySet(models.QuerySet):
    def matching(self, term: str):
        """Themes whose slug, name or one of whose synonyms is `term`, in any case."""
        term = (term or "").strip()
        if not term:
            return self.none()
        folded = term.casefold()
        direct = self.filter(Q(slug__iexact=term) | Q(name__iexact=term))
        if direct.exists():
            return direct
        ids = [theme.pk for theme in self.all() if folded in theme.synonym_set]
        return self.filter(pk__in=ids)


class Theme(index.Indexed, TagBase):
    """A theme of the partnership's curated vocabulary (neglect, CSE, domestic abuse, ...).

    Free tagging is off: editors choose from the vocabulary, which the partnership manager keeps
    in the admin, so that search and reports group learning the same way everywhere."""

    free_tagging = False

    description = models.TextField(blank=True)
    synonyms = models.TextField(
        blank=True,
        help_text="Other words and abbreviations practitioners use, separated by semicolons "
        "(CSE; sexual exploitation; grooming). Search treats them as the theme.",
    )

    objects = ThemeQuerySet.as_manager()

    search_fields = [
        index.SearchField("name"),
        index.SearchField("synonyms"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["name"]

    @property
    def synonym_list(self) -> list[str]:
        return [s.strip() for s in self.synonyms.split(";") if s.strip()]

    @property
    def synonym_set(self) -> frozenset[str]:
        return frozenset(s.casefold() for s in self.synonym_list)


# The keys that let readers outside a browser session follow shared learning: a person's feed
# token (in the feed's URL, for a feed reader) and a partnership's API token (for a partner
# system). Only a digest of each secret is kept (`hub.tokens`).


class FeedTokenQuerySet(models.QuerySet):
    def matching(self, secret: str):
        """The token with this secret, looked up by digest: the database never compares the
        secret itself, so a slow comparison leaks nothing about it."""
        return self.filter(token_hash=digest(secret or ""))


class FeedToken(models.Model):
    """A person's feed address: one a person, replaced (and so revoked) by regenerating."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_token"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = FeedTokenQuerySet.as_manager()

    def __str__(self):
        return f"Feed token of {self.user}"


class PartnershipApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def matching(self, key: str):
        return self.filter(key_hash=digest(key or ""))


class PartnershipApiToken(models.Model):
    """A partner system's key to the read-only API: it reads as a member of its partnership.

    Made and revoked by the partnership's managers; revoked rather than deleted so that who made
    a key, and when it was last used, stays on record."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        max_length=100, help_text="Which system uses it, e.g. 'Sefton intranet'."
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        max_length=8, editable=False, help_text="The key's first characters, to tell keys apart."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="created_api_tokens",
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PartnershipApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["partnership__short_name", "-created_at"]
        verbose_name = "partnership API token"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
