"""Learning briefings: the 7-minute briefing, published for practitioners, and the library pages
that gather them.

A briefing is a Wagtail page so that it has drafts, revisions, preview, scheduled publishing and
a sign-off workflow like any published content. It carries an owning partnership and a sharing
level like every record that holds learning, and the access policy decides who may read it: a
live page is not by itself public."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import ItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from hub.pages import HubPage
from partnership.access import AccessRule, SharingLevel, membership_of, refusal, visible_to
from partnership.models import Partnership, Role, Theme
from partnership.page_access import AccessPageTester, OwnPartnershipPageTester
from partnership.pickers import involved_partnership_ids, offer_visible
from reviews.models import Finding, LevelOfNeed, Review

BRIEFING_FEATURES = ["h3", "bold", "italic", "link", "ul", "ol"]


class BriefingTheme(ItemBase):
    tag = models.ForeignKey(Theme, related_name="tagged_briefings", on_delete=models.CASCADE)
    content_object = ParentalKey(
        "learning.LearningBriefing", related_name="themed_items", on_delete=models.CASCADE
    )


def _own_partnership_id(user):
    membership = membership_of(user)
    return membership.partnership_id if membership else None


class LibraryPermissionTester(OwnPartnershipPageTester):
    """A library page is changed by its own partnership's editors (the region's by the Hub's
    administrators); adding briefings under it is Wagtail's rule. Moving, copying or deleting a
    whole library is for administrators: it carries every briefing with it."""

    def can_delete(self, ignore_bulk=False):
        return self.user.is_superuser and super().can_delete(ignore_bulk)

    def can_move(self):
        return self.user.is_superuser and super().can_move()

    def can_copy(self):
        return self.user.is_superuser and super().can_copy()


def briefing_partnerships(library, user):
    """The partnerships a briefing under `library` may belong to when `user` writes it: a
    partnership's library holds only that partnership's briefings; the region's library takes
    each author's own partnership's (the Hub's administrators may file for any)."""
    if library is not None and getattr(library, "partnership_id", None) is not None:
        return Partnership.objects.filter(pk=library.partnership_id)
    if user is not None and user.is_superuser:
        return Partnership.objects.all()
    return Partnership.objects.filter(pk=_own_partnership_id(user))


class LearningBriefingForm(WagtailAdminPageForm):
    """Offers only the partnerships the briefing may belong to, and fills it in from the
    library on a new briefing, so that an author never files a briefing under another
    partnership's name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_partnership()
        self._limit_sources()

    def _limit_sources(self):
        """The reviews and findings it comes from: those the author may see, of the
        partnerships the briefing may belong to."""
        if self.for_user is None:
            return
        involved = involved_partnership_ids(self, "partnership")
        offer_visible(
            self,
            "source_reviews",
            visible_to(self.for_user, Review.objects.of_partnerships(involved)),
        )
        offer_visible(
            self,
            "source_findings",
            visible_to(self.for_user, Finding.objects.of_partnerships(involved)),
        )

    def _limit_partnership(self):
        field = self.fields.get("partnership")
        if field is None:
            return
        library = self.parent_page.specific if self.parent_page is not None else None
        if not isinstance(library, LibraryPage):
            library = None
        self.allowed_partnerships = briefing_partnerships(library, self.for_user)
        field.queryset = self.allowed_partnerships
        if not self.instance.pk and not self.is_bound:
            first = self.allowed_partnerships.first()
            if first is not None:
                self.initial["partnership"] = first.pk
                field.initial = first.pk

    def clean_partnership(self):
        partnership = self.cleaned_data.get("partnership")
        if (
            partnership is not None
            and not self.allowed_partnerships.filter(pk=partnership.pk).exists()
        ):
            raise forms.ValidationError(
                "A briefing in this library must belong to your own partnership."
            )
        return partnership


class LearningBriefing(HubPage, Page):
    """A 7-minute briefing in its seven parts, linked to the reviews and findings it comes from.

    Only the shareable parts of a source are ever shown with it: a source review or finding the
    reader may not see is left out, never summarised."""

    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.PROTECT, related_name="briefings"
    )
    sharing_level = models.CharField(
        max_length=20, choices=SharingLevel.choices, default=SharingLevel.PARTNERSHIP
    )
    summary = models.TextField(
        help_text="One or two sentences for lists and search results.", max_length=400
    )
    background = RichTextField(features=BRIEFING_FEATURES)
    why_it_matters = RichTextField(features=BRIEFING_FEATURES)
    what_we_found = RichTextField(features=BRIEFING_FEATURES)
    what_it_means = RichTextField("what it means for practice", features=BRIEFING_FEATURES)
    questions = RichTextField("questions to reflect on", features=BRIEFING_FEATURES)
    what_to_do = RichTextField(features=BRIEFING_FEATURES)
    learn_more = RichTextField("where to learn more", blank=True, features=BRIEFING_FEATURES)

    source_reviews = ParentalManyToManyField("reviews.Review", blank=True, related_name="briefings")
    source_findings = ParentalManyToManyField(
        "reviews.Finding", blank=True, related_name="briefings"
    )
    themes = ClusterTaggableManager(through=BriefingTheme, blank=True)
    audiences = ParentalManyToManyField(
        "partnership.Agency",
        blank=True,
        related_name="briefings",
        help_text="The agencies whose practitioners most need it.",
    )
    level_of_need = models.PositiveSmallIntegerField(
        choices=LevelOfNeed.choices, null=True, blank=True
    )
    briefing_date = models.DateField(default=timezone.localdate)

    # Restricted: its author, the panels of the reviews it comes from (who wrote the learning),
    # and the owning partnership's managers and quality assurance team (who follow learning to
    # embedded practice and count its reach).
    access_rule = AccessRule(
        partnership="partnership",
        named_people=("owner", "source_reviews__panel"),
        overseen_by=(Role.PARTNERSHIP_MANAGER, Role.QUALITY_ASSURANCE),
    )

    # Never the sources' confidential details: only the briefing's own, shareable text.
    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("background"),
        index.SearchField("why_it_matters"),
        index.SearchField("what_we_found"),
        index.SearchField("what_it_means"),
        index.SearchField("questions"),
        index.SearchField("what_to_do"),
        index.FilterField("sharing_level"),
        index.FilterField("partnership"),
        index.FilterField("briefing_date"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("background"),
        FieldPanel("why_it_matters"),
        FieldPanel("what_we_found"),
        FieldPanel("what_it_means"),
        FieldPanel("questions"),
        FieldPanel("what_to_do"),
        FieldPanel("learn_more"),
    ]
    promote_panels = Page.promote_panels + [
        MultiFieldPanel(
            [
                FieldPanel("partnership"),
                FieldPanel("sharing_level"),
                FieldPanel("briefing_date"),
                FieldPanel("themes"),
                FieldPanel("audiences"),
                FieldPanel("level_of_need"),
                FieldPanel("source_reviews"),
                FieldPanel("source_findings"),
            ],
            heading="Sharing and sources",
        )
    ]

    parent_page_types = ["learning.LibraryPage"]
    routed_in_one_query = True
    route_select_related = ("partnership",)
    subpage_types: list[str] = []
    base_form_class = LearningBriefingForm

    class Meta:
        verbose_name = "learning briefing"

    def clean(self):
        super().clean()
        if self.path and self.depth and self.depth > 1:
            library = self.get_parent().specific
            owner = getattr(library, "partnership_id", None)
            if owner is not None and self.partnership_id != owner:
                raise ValidationError(
                    {"partnership": "A briefing must belong to its library's partnership."}
                )

    def can_move_to(self, parent):
        """Never into another partnership's library: a briefing stays with its partnership."""
        owner = getattr(parent.specific, "partnership_id", None)
        return super().can_move_to(parent) and owner in (None, self.partnership_id)

    def permissions_for_user(self, user):
        return AccessPageTester(user, self)

    @property
    def is_public(self) -> bool:
        return self.sharing_level == SharingLevel.PUBLIC

    # The page cache holds public pages for anonymous visitors; briefings at any other level
    # are answered per person by the access policy.
    @property
    def cache_for_anonymous(self) -> bool:
        return self.is_public

    def serve(self, request, *args, **kwargs):
        """The access policy decides, not the page being live: a briefing the reader may not see
        is not found for a signed-in reader, and asks an anonymous one to sign in."""
        from django.http import HttpResponse

        refused = refusal(request, self)
        if refused is not None:
            return refused
        if request.GET.get("format") == "pdf":
            from learning.briefings import render_pdf

            response = HttpResponse(render_pdf(request, self), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{self.slug}.pdf"'
            return response
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from learning.briefings import acknowledgement_of, sources_for

        context = super().get_context(request, *args, **kwargs)
        context["sources"] = sources_for(request.user, self)
        context["acknowledgement"] = acknowledgement_of(request.user, self)
        return context


class LibraryPage(HubPage, Page):
    """The learning library: one for the region and one for each partnership.

    A partnership's library lists its own learning; the region's lists what every partnership
    shares regionally or publicly. Listing, filters and pagination live in `learning.library`."""

    partnership = models.ForeignKey(
        "partnership.Partnership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="libraries",
        help_text="Empty for the region's library.",
    )
    introduction = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("partnership"), FieldPanel("introduction")]

    parent_page_types = ["hub.HomePage"]
    routed_in_one_query = True
    route_select_related = ("partnership",)
    subpage_types = ["learning.LearningBriefing"]

    class Meta:
        verbose_name = "learning library"

    def permissions_for_user(self, user):
        return LibraryPermissionTester(user, self)

    @property
    def is_region_library(self) -> bool:
        return self.partnership_id is None

    def get_context(self, request, *args, **kwargs):
        from learning.library import rendered_listing

        context = super().get_context(request, *args, **kwargs)
        context["listing"] = rendered_listing(
            request,
            place=f"library:{self.pk}",
            show_partnership=self.is_region_library,
            partnership=self.partnership,
            region=self.is_region_library,
        )
        return context

    # What it lists differs by reader. The anonymous view is the same for every visitor and is
    # shared by the page cache; a signed-in reader's list is shared with their audience only
    # (`learning.library.rendered_listing`), and both are emptied when reviews, findings or
    # pages change (ReviewsConfig, hub.page_cache). The page sent to a signed-in reader is
    # private, no-store like every such page (partnership.sessions.NoStoreMiddleware).


class Acknowledgement(models.Model):
    """A practitioner has read and understood a briefing: once, with when. It is the evidence
    that learning reached practice, so nothing it names can be deleted from under it: people
    are deactivated, agencies retired and briefings unpublished instead."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    briefing = models.ForeignKey(
        LearningBriefing, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    agency = models.ForeignKey(
        "partnership.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="acknowledgements",
        help_text="The reader's agency when they read it, for reach by agency.",
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "briefing"], name="acknowledged_once"),
        ]

    def __str__(self):
        return f"{self.user} read {self.briefing}"
