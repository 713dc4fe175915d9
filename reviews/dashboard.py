"""The reviews dashboard: overdue milestones and those due within five working days, for the
reviews the user may see, at /admin/reviews/dashboard/ and as a panel on the admin home page."""

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from hub import charts
from hub.working_days import add_working_days, working_days_between
from partnership.access import has_role
from partnership.models import Role

from . import deadline_cache
from .models import Milestone
from .models.milestone import DUE_SOON_WORKING_DAYS
from .models.workflow import sits_on_a_panel
from .views.milestones import MarkMilestoneDoneView

# A partnership running thousands of reviews has thousands of late milestones; a page listing
# them all takes seconds and helps nobody. Each section shows the most urgent few, its totals,
# and a link to the review listing filtered to all of them.
DASHBOARD_ROWS = 20
PANEL_ROWS = 5
# The roles that keep an eye on review deadlines, so see the panel even when nothing is due.
WATCH_DEADLINES = (
    Role.REVIEWER,
    Role.PARTNERSHIP_MANAGER,
    Role.QUALITY_ASSURANCE,
    Role.DELEGATED_SAFEGUARDING_PARTNER,
    Role.INDEPENDENT_SCRUTINEER,
)
DEADLINE_ROW_FIELDS = (
    "review",
    "label",
    "position",
    "statutory",
    "due_date",
    "done_date",
    "kind",
    "review__reference",
    "review__title",
    "review__review_type",
    "review__status",
    "review__lead_partnership__short_name",
)


@dataclass
class DeadlineRow:
    milestone: Milestone
    days_overdue: int
    working_days_left: int
    review_url: str | None


@dataclass
class Deadlines:
    """A user's deadlines on a day: the most urgent overdue and due-soon milestones, each by
    due date, with how many milestones and reviews each section holds in all."""

    today: date
    overdue: list[DeadlineRow] = field(default_factory=list)
    due_soon: list[DeadlineRow] = field(default_factory=list)
    overdue_count: int = 0
    due_soon_count: int = 0
    overdue_reviews: int = 0
    due_soon_reviews: int = 0
    overdue_url: str | None = None
    due_soon_url: str | None = None

    def __bool__(self):
        return bool(self.overdue_count or self.due_soon_count)

    @property
    def overdue_more(self) -> int:
        return self.overdue_count - len(self.overdue)

    @property
    def due_soon_more(self) -> int:
        return self.due_soon_count - len(self.due_soon)


def deadlines_for(
    user,
    today: date | None = None,
    days: int = DUE_SOON_WORKING_DAYS,
    limit: int = DASHBOARD_ROWS,
) -> Deadlines:
    """At most three queries, whatever the number of reviews: the counts of both sections in
    one aggregate, then the first `limit` milestones of each with their review and lead
    partnership joined in. Kept per reader until a review or milestone changes
    (`reviews.deadline_cache`)."""
    today = today or timezone.localdate()
    return deadline_cache.remember(
        user, (today, days, limit), lambda: _build_deadlines(user, today, days, limit)
    )


def _build_deadlines(user, today: date, days: int, limit: int) -> Deadlines:
    horizon = add_working_days(today, days)
    mine = Milestone.objects.for_deadlines_of(user).outstanding()
    late, soon = Q(due_date__lt=today), Q(due_date__gte=today, due_date__lte=horizon)
    counts = mine.filter(due_date__lte=horizon).aggregate(
        overdue_count=Count("pk", filter=late),
        due_soon_count=Count("pk", filter=soon),
        overdue_reviews=Count("review", filter=late, distinct=True),
        due_soon_reviews=Count("review", filter=soon, distinct=True),
    )
    result = Deadlines(today=today, **counts)
    for section, condition in (("overdue", late), ("due_soon", soon)):
        if not counts[f"{section}_count"]:
            continue
        milestones = (
            mine.filter(condition)
            .select_related("review", "review__lead_partnership")
            # Only what a row shows: the review's case text never reaches the cache.
            .only(*DEADLINE_ROW_FIELDS)
            .order_by("due_date", "review__reference", "position")[:limit]
        )
        getattr(result, section).extend(_row(milestone, today) for milestone in milestones)
        setattr(result, f"{section}_url", listing_url(**{section: "true"}))
    return result


MONTHS_BACK = 6
MONTHS_AHEAD = 6


@dataclass(frozen=True)
class MonthCount:
    label: str
    overdue: int
    due: int


def _month_start(day: date, months: int = 0) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def deadlines_by_month(user, today: date | None = None) -> list[MonthCount]:
    """The outstanding milestones of the reader's reviews by the month they fall due, from six
    months back (earlier ones together) to six ahead, each split into overdue and still to
    come: one grouped query, kept with the deadlines (`reviews.deadline_cache`)."""
    today = today or timezone.localdate()

    def build():
        # This month and the five before it, and the six after it.
        first, end = _month_start(today, -MONTHS_BACK + 1), _month_start(today, MONTHS_AHEAD + 1)
        grouped = (
            Milestone.objects.for_deadlines_of(user)
            .outstanding()
            .filter(due_date__lt=end)
            .annotate(month=TruncMonth("due_date"))
            .values("month")
            .annotate(
                overdue=Count("pk", filter=Q(due_date__lt=today)),
                due=Count("pk", filter=Q(due_date__gte=today)),
            )
            .order_by("month")
        )
        counts = {}
        for row in grouped:
            month = max(_as_date(row["month"]), _month_start(first, -1))
            overdue, due = counts.get(month, (0, 0))
            counts[month] = (overdue + row["overdue"], due + row["due"])
        months = [_month_start(first, n) for n in range(-1, MONTHS_BACK + MONTHS_AHEAD)]
        labels = {months[0]: f"Before {first:%B %Y}"}
        return [
            MonthCount(labels.get(month, f"{month:%B %Y}"), *counts.get(month, (0, 0)))
            for month in months
            if month != months[0] or month in counts
        ]

    return deadline_cache.remember(user, ("by-month", today), build)


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def deadlines_chart(request, months: list[MonthCount]):
    return charts.with_download(
        request,
        charts.stacked(
            "deadlines-by-month",
            "Milestones by the month they fall due",
            f"{sum(m.overdue for m in months)} milestones overdue and "
            f"{sum(m.due for m in months)} still to come in the next {MONTHS_AHEAD} months. "
            "Each bar is a month, its parts the milestones overdue and those still to come.",
            [charts.Series("Overdue", charts.RED), charts.Series("Due", charts.BLUE)],
            [(m.label, [m.overdue, m.due]) for m in months],
            table_id="deadlines-by-month-table",
        ),
    )


def _row(milestone, today) -> DeadlineRow:
    return DeadlineRow(
        milestone=milestone,
        days_overdue=milestone.days_overdue(today),
        working_days_left=max(working_days_between(today, milestone.due_date), 0),
        review_url=_admin_url(milestone.review),
    )


def listing_url(**filters) -> str | None:
    """The review listing narrowed to the reader's own deadlines (see `Review.involving`) and
    `filters`: every review of a dashboard section, paginated."""
    try:
        base = reverse("wagtailsnippets_reviews_review:list")
    except NoReverseMatch:
        return None
    return f"{base}?{urlencode({**filters, 'involved': 'true'})}"


def _admin_url(review) -> str | None:
    # The review's edit view exists once the review snippet is registered in the admin.
    try:
        return review.get_admin_url()
    except NoReverseMatch:
        return None


def _captions():
    return {
        "due_soon_days": DUE_SOON_WORKING_DAYS,
        "due_soon_caption": f"Due within {DUE_SOON_WORKING_DAYS} working days",
        "due_soon_empty": f"Nothing is due within {DUE_SOON_WORKING_DAYS} working days.",
    }


class DashboardView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "reviews/dashboard.html"
    page_title = "Review deadlines"
    header_icon = "date"

    def get(self, request, *args, **kwargs):
        self.months = deadlines_by_month(request.user)
        self.chart = deadlines_chart(request, self.months)
        return charts.download_response(request, self.chart) or super().get(
            request, *args, **kwargs
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["months"] = self.months
        context["chart"] = self.chart
        context["deadlines"] = deadlines_for(self.request.user)
        context["row_limit"] = DASHBOARD_ROWS
        context.update(_captions())
        return context


class DeadlinesPanel(Component):
    name = "review_deadlines"
    template_name = "reviews/home_deadlines_panel.html"
    order = 90

    def render_html(self, parent_context=None):
        # Deadlines are the work of the review roles and of each review's panel: a trainer
        # who may read a review but has no part in it is not shown its milestones.
        user = parent_context["request"].user
        if not has_role(user, *WATCH_DEADLINES) and not sits_on_a_panel(user):
            return ""
        self.deadlines = deadlines_for(user, limit=PANEL_ROWS)
        return super().render_html(parent_context)

    def get_context_data(self, parent_context):
        return {
            "deadlines": self.deadlines,
            "dashboard_url": reverse("reviews_dashboard"),
            **_captions(),
        }


@hooks.register("register_admin_urls")
def register_dashboard_url():
    return [
        path("reviews/dashboard/", DashboardView.as_view(), name="reviews_dashboard"),
        path(
            "reviews/milestones/<int:pk>/done/",
            MarkMilestoneDoneView.as_view(),
            name="reviews_milestone_done",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return MenuItem(
        "Review deadlines",
        reverse("reviews_dashboard"),
        name="review-deadlines",
        icon_name="date",
        order=205,
    )


@hooks.register("construct_homepage_panels")
def add_deadlines_panel(request, panels):
    panels.append(DeadlinesPanel())
