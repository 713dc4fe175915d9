"""Courses: the multi-agency training a partnership publishes, as Wagtail pages so that trainers
get drafts, revisions, preview and scheduled publishing; and the course list page above them."""

from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import ItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from hub.pages import HubPage
from learning.models import Action, LearningBriefing
from partnership.access import AccessRule, SharingLevel, refusal, visible_to
from partnership.models import Theme
from partnership.page_access import AccessPageTester
from partnership.pickers import involved_partnership_ids, offer_visible
from reviews.models import Finding

COURSE_FEATURES = ["h3", "bold", "italic", "link", "ul", "ol"]


class CourseLevel(models.TextChoices):
    FOUNDATION = "foundation", "Foundation"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"
    REFRESHER = "refresher", "Refresher"


class Duration(models.TextChoices):
    """How long a session of the course lasts; non-attendance is charged by it."""

    HALF_DAY = "half_day", "Half day"
    FULL_DAY = "full_day", "Full day"


class CourseIndexPage(HubPage, Page):
    """The list of courses, filtered by theme, level and partnership (training.listing)."""

    introduction = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    parent_page_types = ["hub.HomePage"]
    routed_in_one_query = True
    subpage_types = ["training.Course"]
    max_count = 1

    class Meta:
        verbose_name = "course list"

    # What a signed-in reader may see differs by reader (their pages are private, no-store);
    # the anonymous list is shared by the page cache, emptied by any change to a session or
    # booking (TrainingConfig). A session that has just begun may stay listed for up to
    # HUB_PAGE_CACHE_SECONDS.

    def get_context(self, request, *args, **kwargs):
        from training.listing import rendered_course_listing

        context = super().get_context(request, *args, **kwargs)
        context["listing"] = rendered_course_listing(request, self)
        return context


class CourseTheme(ItemBase):
    tag = models.ForeignKey(Theme, related_name="tagged_courses", on_delete=models.CASCADE)
    content_object = ParentalKey(
        "training.Course", related_name="themed_items", on_delete=models.CASCADE
    )


class CourseForm(WagtailAdminPageForm):
    """Offers the findings, actions and briefings a course may answer: those the author may see,
    of the course's partnership."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None:
            return
        involved = involved_partnership_ids(self, "partnership")
        findings = Finding.objects.of_partnerships(involved)
        actions, briefings = Action.objects.all(), LearningBriefing.objects.all()
        if involved is not None:
            actions = actions.filter(partnership_id__in=involved)
            briefings = briefings.filter(partnership_id__in=involved)
        offer_visible(self, "findings", visible_to(user, findings))
        offer_visible(self, "actions", visible_to(user, actions))
        offer_visible(self, "briefings", visible_to(user, briefings))


class Course(HubPage, Page):
    """A multi-agency course: what it teaches, to whom, and the learning it answers.

    Its sessions are separate records (training.Session), not inline panels: a session holds
    bookings, and publishing a revision must never delete a session people have booked."""

    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.PROTECT, related_name="courses"
    )
    # Most courses are advertised publicly; who may book is each session's eligibility.
    sharing_level = models.CharField(
        max_length=20, choices=SharingLevel.choices, default=SharingLevel.PUBLIC
    )
    summary = models.TextField(max_length=400, help_text="One or two sentences for the list.")
    description = RichTextField(features=COURSE_FEATURES)
    learning_outcomes = RichTextField(
        features=COURSE_FEATURES, help_text="What delegates will be able to do afterwards."
    )
    audience = models.TextField(
        help_text="Who it is for: roles, agencies, experience (for example, 'Practitioners "
        "in every agency who work with families at levels 2 to 4')."
    )
    level = models.CharField(max_length=20, choices=CourseLevel.choices)
    duration = models.CharField(max_length=20, choices=Duration.choices)
    themes = ClusterTaggableManager(through=CourseTheme, blank=True)
    briefings = ParentalManyToManyField(
        "learning.LearningBriefing", blank=True, related_name="courses"
    )
    findings = ParentalManyToManyField("reviews.Finding", blank=True, related_name="courses")
    actions = ParentalManyToManyField(
        "learning.Action",
        blank=True,
        related_name="courses",
        help_text="Actions this course answers: delegates' follow-up evaluations count as "
        "evidence of their impact.",
    )

    access_rule = AccessRule(partnership="partnership")

    def permissions_for_user(self, user):
        # The course list is one subtree for the region: the access policy keeps each
        # partnership's trainers to their own courses.
        return AccessPageTester(user, self)

    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("description"),
        index.SearchField("learning_outcomes"),
        index.SearchField("audience"),
        index.FilterField("partnership"),
        index.FilterField("sharing_level"),
        index.FilterField("level"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("learning_outcomes"),
        FieldPanel("audience"),
        FieldPanel("level"),
        FieldPanel("duration"),
    ]
    promote_panels = Page.promote_panels + [
        MultiFieldPanel(
            [
                FieldPanel("partnership"),
                FieldPanel("sharing_level"),
                FieldPanel("themes"),
                FieldPanel("briefings"),
                FieldPanel("findings"),
                FieldPanel("actions"),
            ],
            heading="Sharing and the learning it answers",
        )
    ]

    parent_page_types = ["training.CourseIndexPage"]
    routed_in_one_query = True
    route_select_related = ("partnership",)
    subpage_types: list[str] = []
    base_form_class = CourseForm

    class Meta:
        verbose_name = "course"

    @property
    def is_full_day(self) -> bool:
        return self.duration == Duration.FULL_DAY

    def serve(self, request, *args, **kwargs):
        """The access policy decides, as for briefings: a course the reader may not see is not
        found for a signed-in reader, and asks an anonymous one to sign in."""
        refused = refusal(request, self)
        if refused is not None:
            return refused
        # Places left change with every booking, which empties the page cache (TrainingConfig).
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from training.listing import briefings_for, session_rows

        context = super().get_context(request, *args, **kwargs)
        context["sessions"] = session_rows(request.user, self)
        context["briefings"] = briefings_for(request.user, self)
        context["course_themes"] = self.themes.order_by("name")
        return context
