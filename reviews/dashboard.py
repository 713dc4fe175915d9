"""The reviews dashboard: overdue milestones and those due within five working days, for the
reviews the user may see, at /admin/reviews/dashboard/ and as a panel on the admin home page."""

from dataclasses import dataclass, field
from datetime import date

from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .deadlines import working_days_between
from .models import Milestone

DUE_SOON_WORKING_DAYS = 5


@dataclass
class DeadlineRow:
    milestone: Milestone
    days_overdue: int
    working_days_left: int
    review_url: str | None


@dataclass
class Deadlines:
    """A user's deadlines on a day, split into overdue and due soon, each by due date."""

    today: date
    overdue: list[DeadlineRow] = field(default_factory=list)
    due_soon: list[DeadlineRow] = field(default_factory=list)

    def __bool__(self):
        return bool(self.overdue or self.due_soon)


def deadlines_for(user, today: date | None = None, days: int = DUE_SOON_WORKING_DAYS) -> Deadlines:
    """One query, whatever the number of reviews: the milestones with their review and lead
    partnership joined in."""
    today = today or timezone.localdate()
    milestones = (
        Milestone.objects.for_deadlines_of(user)
        .needing_attention(today, days)
        .select_related("review", "review__lead_partnership")
        .order_by("due_date", "review__reference", "position")
    )
    result = Deadlines(today=today)
    for milestone in milestones:
        row = DeadlineRow(
            milestone=milestone,
            days_overdue=milestone.days_overdue(today),
            working_days_left=max(working_days_between(today, milestone.due_date), 0),
            review_url=_admin_url(milestone.review),
        )
        (result.overdue if row.days_overdue else result.due_soon).append(row)
    return result


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
    }


class DashboardView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "reviews/dashboard.html"
    page_title = "Review deadlines"
    header_icon = "date"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["deadlines"] = deadlines_for(self.request.user)
        context.update(_captions())
        return context


class DeadlinesPanel(Component):
    name = "review_deadlines"
    template_name = "reviews/home_deadlines_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        return {
            "deadlines": deadlines_for(parent_context["request"].user),
            "dashboard_url": reverse("reviews_dashboard"),
            **_captions(),
        }


@hooks.register("register_admin_urls")
def register_dashboard_url():
    return [path("reviews/dashboard/", DashboardView.as_view(), name="reviews_dashboard")]


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
