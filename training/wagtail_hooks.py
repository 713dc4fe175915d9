"""Training in the admin, for trainers and partnership managers.

- Courses are pages under the course list page (trainers add, change and publish there).
- Training > Sessions: the sessions of the person's own partnership's courses, with places booked
  of the capacity and how many wait; a session's bookings and waiting list are shown to its
  trainers and the owning partnership's managers only.
- Settings > Training terms: each partnership manager edits their own partnership's cut-offs,
  offer time, reminders, fees and follow-up.

Every queryset is narrowed to the person's partnership (superusers see all), and an object of
another partnership is not found (404), as partnership.admin_scoping does for agencies."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from partnership.access import is_partnership_manager, sees_everything
from partnership.admin_scoping import (
    OwnPartnershipForm,
    PartnershipScopedViewSet,
    own_partnership_id,
)
from partnership.admin_visibility import SCOPE_HOOK
from partnership.models import Agency, Partnership, Role

from . import booking as services
from . import home, session_tools
from .models import Booking, BookingState, Course, Session, TrainingTerms

LOG_ACTIONS = {
    "hub.training.requested": "Training place requested",
    "hub.training.booked": "Training place booked",
    "hub.training.waiting": "Joined a waiting list",
    "hub.training.offered": "Training place offered",
    "hub.training.accepted": "Offered place accepted",
    "hub.training.declined": "Offered place declined",
    "hub.training.offer_expired": "Offered place expired",
    "hub.training.cancelled": "Training booking cancelled",
    "hub.training.approved": "Training place approved by line manager",
    "hub.training.refused": "Training place refused by line manager",
    "hub.training.message_sent": "Message emailed to the session's delegates",
}


def _courses_for(request):
    courses = Course.objects.order_by("title")
    if sees_everything(request.user):
        return courses
    return courses.filter(partnership_id=own_partnership_id(request.user))


class SessionFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(queryset=_courses_for, label="Course")
    when = django_filters.ChoiceFilter(
        label="When",
        choices=[("upcoming", "Upcoming"), ("past", "Past")],
        method="filter_when",
        empty_label="Any time",
    )

    class Meta:
        model = Session
        fields = []

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(ends_at__gte=now)
        if value == "past":
            return queryset.past(now)
        return queryset


class SessionForm(OwnPartnershipForm):
    """Offers the person's own partnership's courses and trainers; any partnership or agency of
    the region may be made eligible (a regional course is booked across boundaries)."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        trainers = get_user_model().objects.filter(groups__name=Role.TRAINER.label, is_active=True)
        courses = Course.objects.order_by("title")
        if for_user is not None and not sees_everything(for_user):
            own = own_partnership_id(for_user)
            courses = courses.filter(partnership_id=own)
            trainers = trainers.filter(membership__partnership_id=own)
        if "course" in self.fields:
            self.fields["course"].queryset = courses
        if "trainers" in self.fields:
            self.fields["trainers"].queryset = trainers.order_by("last_name", "first_name")
            self.fields["trainers"].label_from_instance = lambda u: u.get_full_name() or u.username
        if "eligible_partnerships" in self.fields:
            self.fields["eligible_partnerships"].queryset = Partnership.objects.all()
        if "eligible_agencies" in self.fields:
            # Retired agencies leave the choices, except where the session names one already.
            named = self.instance.eligible_agencies.all() if self.instance.pk else []
            self.fields["eligible_agencies"].queryset = Agency.objects.filter(
                Q(active=True) | Q(pk__in=[a.pk for a in named])
            ).select_related("partnership")

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The session must end after it starts.")
        if cleaned.get("delivery") == "online" and not cleaned.get("online_link"):
            self.add_error("online_link", "Enter the joining link for an online session.")
        if cleaned.get("delivery") == "in_person" and not cleaned.get("venue"):
            self.add_error("venue", "Enter the venue's address for a session in person.")
        if cleaned.get("capacity") == 0:
            self.add_error("capacity", "A session needs at least one place.")
        return cleaned


def _when(session) -> str:
    start = timezone.localtime(session.starts_at)
    return f"{date_format(start, 'D j M Y')}, {start:%H:%M}"


def _places(session) -> str:
    return f"{session.booked_count} of {session.capacity}"


def _bookings_link(session):
    return format_html(
        '<a href="{}">Bookings<span class="visuallyhidden"> for {}</span></a>',
        reverse("training_session_bookings", args=[session.pk]),
        session,
    )


class SessionViewSet(PartnershipScopedViewSet):
    model = Session
    icon = "date"
    menu_label = "Sessions"
    add_to_admin_menu = False
    partnership_lookup = "course__partnership_id"
    filterset_class = SessionFilterSet
    list_per_page = 50
    inspect_view_enabled = False
    list_display = [
        Column("course", label="Course", accessor="course.title"),
        Column("when", label="When", accessor=_when, sort_key="starts_at"),
        Column("delivery", label="Delivery", accessor="get_delivery_display"),
        Column("places", label="Places booked", accessor=_places),
        Column("waiting_count", label="Waiting"),
        Column("bookings", label="Bookings", accessor=_bookings_link),
    ]
    list_export = ["course.title", "starts_at", "ends_at", "capacity", "booked_count"]
    export_headings = {"course.title": "Course", "booked_count": "Places booked"}
    ordering = ["-starts_at"]
    edit_handler = ObjectList(
        [
            FieldPanel("course"),
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
            MultiFieldPanel(
                [FieldPanel("delivery"), FieldPanel("venue"), FieldPanel("online_link")],
                heading="Where",
            ),
            FieldPanel("capacity"),
            FieldPanel("trainers"),
            MultiFieldPanel(
                [
                    FieldPanel("requires_manager_approval"),
                    FieldPanel("booking_cutoff_days"),
                    FieldPanel("cancellation_cutoff_days"),
                    FieldPanel("eligible_partnerships"),
                    FieldPanel("eligible_agencies"),
                ],
                heading="Booking",
            ),
        ],
        base_form_class=SessionForm,
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("course")
            .with_place_counts()
            .order_by("-starts_at")
        )


def bookings_seen_by(user, bookings):
    """`may_see_bookings` over many bookings, in the database: Wagtail's site history lists
    bookings' log entries (a delegate's name) only to the people who see the session's list."""
    if sees_everything(user):
        return bookings
    sessions = Session.objects.filter(trainers=getattr(user, "pk", None))
    if is_partnership_manager(user):
        sessions = sessions | Session.objects.filter(
            course__partnership_id=own_partnership_id(user)
        )
    return bookings.filter(session__in=sessions.values("pk"))


@hooks.register(SCOPE_HOOK)
def narrow_bookings_in_admin_lists():
    return Booking, bookings_seen_by


class SessionBookingsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "training/admin/session_bookings.html"
    header_icon = "user"

    def dispatch(self, request, pk):
        self.session = session_tools.session_for_bookings(request, pk)
        return super().dispatch(request, pk)

    def get_page_title(self):
        return f"Bookings: {self.session}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bookings = list(
            self.session.bookings.select_related("user", "agency", "partnership").order_by(
                "waiting_since", "created_at", "pk"
            )
        )
        places = [b for b in bookings if b.state in BookingState.holding_a_place()]
        context.update(
            session=self.session,
            places=places,
            waiting=[b for b in bookings if b.state == BookingState.WAITING],
            others=[
                b
                for b in bookings
                if b.state not in BookingState.holding_a_place() and b.state != "waiting"
            ],
            free=max(self.session.capacity - len(places), 0),
            cutoffs=services.cutoffs(self.session),
            day_warning=session_tools.day_warning(self.session),
            export_csv=reverse("training_session_export", args=[self.session.pk, "csv"]),
            export_xlsx=reverse("training_session_export", args=[self.session.pk, "xlsx"]),
            sign_in_sheet=reverse("training_session_sign_in_sheet", args=[self.session.pk]),
            email=reverse("training_session_email", args=[self.session.pk]),
            register=reverse("training_register", args=[self.session.pk]),
        )
        return context


class TrainingTermsViewSet(PartnershipScopedViewSet):
    model = TrainingTerms
    icon = "cog"
    menu_label = "Training terms"
    add_to_settings_menu = True
    inspect_view_enabled = False
    list_display = [
        "partnership",
        "booking_cutoff_days",
        "cancellation_cutoff_days",
        "offer_hours",
        "reminder_days",
        "fee_half_day",
        "fee_full_day",
    ]
    edit_handler = ObjectList(
        [
            HelpPanel(
                content="Your partnership's own (local) rules for its training. Cut-offs count "
                "working days before the session: Monday to Friday, not bank holidays in "
                "England. A session may set its own cut-offs."
            ),
            FieldPanel("partnership", read_only=True),
            MultiFieldPanel(
                [
                    FieldPanel("booking_cutoff_days"),
                    FieldPanel("cancellation_cutoff_days"),
                    FieldPanel("offer_hours"),
                    FieldPanel("reminder_days"),
                ],
                heading="Booking",
            ),
            MultiFieldPanel(
                [
                    FieldPanel("fee_half_day"),
                    FieldPanel("fee_full_day"),
                    FieldPanel("charge_late_cancellation"),
                ],
                heading="Charges for non-attendance",
            ),
            FieldPanel("follow_up_after_days"),
        ]
    )

    def get_queryset(self, request):
        # Each partnership has its terms from the first time anyone asks: a manager always
        # finds their own row to edit, never an empty list and an Add button.
        own = own_partnership_id(request.user)
        if own is not None:
            TrainingTerms.objects.for_partnership(own)
        return super().get_queryset(request).select_related("partnership")


class TrainingGroup(SnippetViewSetGroup):
    menu_label = "Training"
    menu_icon = "date"
    menu_order = 260
    items = (SessionViewSet,)


register_snippet(TrainingGroup)
register_snippet(TrainingTermsViewSet)


@hooks.register("register_admin_urls")
def register_training_admin_urls():
    return [
        path(
            "training/sessions/<int:pk>/bookings/",
            SessionBookingsView.as_view(),
            name="training_session_bookings",
        ),
        path(
            "training/sessions/<int:pk>/bookings/<str:fmt>/",
            session_tools.BookingsExportView.as_view(),
            name="training_session_export",
        ),
        path(
            "training/sessions/<int:pk>/email/",
            session_tools.SessionEmailView.as_view(),
            name="training_session_email",
        ),
        path(
            "training/sessions/<int:pk>/sign-in-sheet/",
            session_tools.SignInSheetView.as_view(),
            name="training_session_sign_in_sheet",
        ),
    ]


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def offer_places_freed_by_an_edit(request, instance):
    """More places (a bigger room) go to the people waiting, in turn; a session on a weekend or
    a bank holiday is saved, with a word to check the day."""
    if isinstance(instance, Session):
        services.offer_next(instance)
        if warning := session_tools.day_warning(instance):
            messages.warning(request, warning)


@hooks.register("register_log_actions")
def register_training_log_actions(actions):
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)


# What needs a delegate (the site's home) and a trainer (the admin's home): `hub.home`.
hooks.register("hub_home_sections", home.delegate_sections)
hooks.register("hub_admin_home_sections", home.trainer_sections)


# The register, the training reports, and evaluations' impact on actions: one module each.
from . import (  # noqa: E402
    impact_hooks,  # noqa: F401
    register_hooks,  # noqa: F401
    report_hooks,  # noqa: F401
)
