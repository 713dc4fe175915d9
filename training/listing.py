"""What the course list and a course's page show, at a constant number of queries.

The list holds the live courses under the course list page that the reader may see (the access
policy decides: anonymous visitors see public courses), filtered by theme, level and partnership,
soonest next session first, 20 to a page. A course's page lists its upcoming sessions with the
places left, whether the reader may book each (and why not), and their own booking if they have
one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from hub import audience_cache
from hub.pagination import links_for
from learning.models import LearningBriefing
from partnership.access import audience_of, membership_of, visible_to
from partnership.models import Partnership, Theme

from .booking import booking_closed, ineligibility
from .models import Booking, BookingState, Course, CourseLevel, Session, TrainingTerms

PER_PAGE = 20


class CourseFilterForm(forms.Form):
    """A GET form: a filtered list has its own address. Unknown choices are ignored."""

    theme = forms.ChoiceField(label="Theme", required=False)
    level = forms.ChoiceField(label="Level", required=False)
    partnership = forms.ChoiceField(label="Partnership", required=False)

    def __init__(self, data=None, *, themes=(), partnerships=()):
        super().__init__(data)
        any_ = [("", "Any")]
        self.fields["theme"].choices = any_ + [(t.slug, t.name) for t in themes]
        self.fields["level"].choices = any_ + list(CourseLevel.choices)
        self.fields["partnership"].choices = any_ + [(p.slug, p.name) for p in partnerships]

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}


@dataclass
class CourseListing:
    page: object
    courses: list
    total: int
    form: CourseFilterForm
    pagination: dict


def course_listing(user, index_page, params, page_number=None) -> CourseListing:
    visible = visible_to(user, Course.objects.live().child_of(index_page))
    themes = Theme.objects.filter(
        tagged_courses__content_object__in=visible.values("pk")
    ).distinct()
    partnerships = Partnership.objects.filter(courses__in=visible.values("pk")).distinct()
    form = CourseFilterForm(params or None, themes=themes, partnerships=partnerships)
    chosen = form.filters()
    courses = visible
    if chosen.get("theme"):
        courses = courses.filter(themed_items__tag__slug=chosen["theme"])
    if chosen.get("level"):
        courses = courses.filter(level=chosen["level"])
    if chosen.get("partnership"):
        courses = courses.filter(partnership__slug=chosen["partnership"])
    upcoming = Session.objects.upcoming().filter(course=OuterRef("pk")).order_by("starts_at")
    courses = (
        courses.annotate(next_session=Subquery(upcoming.values("starts_at")[:1]))
        .select_related("partnership")
        .prefetch_related("themes")
        .order_by(F("next_session").asc(nulls_last=True), "title")
    )
    paginator = Paginator(courses, PER_PAGE)
    page = paginator.get_page(page_number)
    courses = list(page.object_list)
    for course in courses:
        course.theme_list = sorted(course.themes.all(), key=lambda t: t.name)
    return CourseListing(
        page=page,
        courses=courses,
        total=paginator.count,
        form=form,
        pagination=links_for(page, params),
    )


def rendered_course_listing(request, index_page) -> audience_cache.RenderedListing:
    """The course list for this request, rendered once per audience and parameters and served
    to everyone who shares them: it shows courses and their next sessions, nothing of one
    person's own (their bookings are on the course pages and My training)."""
    user = request.user
    return audience_cache.rendered_listing(
        request,
        place=f"courses:{index_page.pk}",
        audience=audience_of(user, Course),
        template="training/includes/course_listing.html",
        build=lambda: course_listing(user, index_page, request.GET, request.GET.get("page")),
    )


@dataclass
class SessionRow:
    session: Session
    places_left: int
    waiting: int
    booking: Booking | None
    reason: str | None  # why the reader may not book, if they may not

    @property
    def full(self) -> bool:
        return self.places_left <= 0 or self.waiting > 0

    @property
    def can_book(self) -> bool:
        return self.reason is None and self.booking is None


def session_rows(user, course: Course) -> list[SessionRow]:
    """The course's upcoming sessions for this reader. A fixed number of queries: the sessions
    with their counts, their eligibility and trainers, the terms, and the reader's bookings."""
    sessions = list(
        course.sessions.upcoming()
        .with_place_counts()
        .prefetch_related("eligible_partnerships", "eligible_agencies")
        .order_by("starts_at")
    )
    if not sessions:
        return []
    terms = TrainingTerms.objects.for_partnership(course.partnership_id)
    mine = {}
    signed_in = membership_of(user) is not None
    if signed_in:
        mine = {
            b.session_id: b
            for b in Booking.objects.filter(
                user=user, session__in=sessions, state__in=BookingState.active()
            )
        }
    rows = []
    now = timezone.now()
    for session in sessions:
        session.course = course
        session._terms = terms
        reason = booking_closed(session, now)
        if reason is None:
            reason = ineligibility(user, session, course_visible=True)
        rows.append(
            SessionRow(
                session=session,
                places_left=max(session.capacity - session.booked_count, 0),
                waiting=session.waiting_count,
                booking=mine.get(session.pk),
                reason=reason,
            )
        )
    return rows


def briefings_for(user, course: Course):
    """The linked briefings this reader may see."""
    return visible_to(user, LearningBriefing.objects.live().filter(courses=course)).order_by(
        "title"
    )
