"""Admin registrations for learning briefings: the reach reports (by briefing and by agency,
with CSV and XLSX export) in the Reports menu, and the audit name of "read and understood".

Imported from `LearningConfig.ready()`, as the action reports are, so that briefings stay one
concern apart from the rest of the learning admin. The numbers come from `learning.briefings`,
narrowed by the access policy to the briefings the reader may see."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from hub.admin_menu import MenuItemFor
from hub.charts import ChartsMixin

from . import briefings, charts, reports
from .models import LearningBriefing


class ReachReportMixin:
    """Reach is oversight, read by those who read the action reports."""

    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not reports.can_see_action_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReachByBriefingView(ReachReportMixin, ReportView):
    page_title = "Briefing reach"
    index_url_name = "briefing_reports:by_briefing"
    index_results_url_name = "briefing_reports:by_briefing_results"
    list_export = ["title", "partnership.short_name", "sharing_level", "readers", "reader_agencies"]
    export_headings = {
        "title": "Briefing",
        "partnership.short_name": "Shared by",
        "sharing_level": "Sharing level",
        "readers": "Read and understood",
        "reader_agencies": "Agencies reached",
    }
    columns = [
        Column("title", label="Briefing"),
        Column("partnership", label="Shared by", accessor="partnership.short_name"),
        Column("sharing_level", label="Sharing level", accessor="get_sharing_level_display"),
        Column("readers", label="Read and understood"),
        Column("reader_agencies", label="Agencies reached"),
    ]

    def get_filename(self):
        return "briefing-reach"

    def get_queryset(self):
        return briefings.reach_by_briefing(self.request.user)


class ReachByAgencyView(ReachReportMixin, ChartsMixin, ReportView):
    page_title = "Briefing reach by agency"
    results_template_name = "learning/reports/with_charts_results.html"
    index_url_name = "briefing_reports:by_agency"
    index_results_url_name = "briefing_reports:by_agency_results"
    list_export = ["name", "partnership.short_name", "readings", "briefings_read"]
    export_headings = {
        "name": "Agency",
        "partnership.short_name": "Partnership",
        "readings": "Read and understood",
        "briefings_read": "Briefings read",
    }
    columns = [
        Column("name", label="Agency"),
        Column("partnership", label="Partnership", accessor="partnership.short_name"),
        Column("readings", label="Read and understood"),
        Column("briefings_read", label="Briefings read"),
    ]

    def get_filename(self):
        return "briefing-reach-by-agency"

    def get_charts(self):
        top = briefings.reach_by_agency(self.request.user)[: charts.MOST_BARS]
        return [charts.briefing_reach_by_agency(list(top), table_id=self.table_id)]

    def get_queryset(self):
        return briefings.reach_by_agency(self.request.user)


report_urls = (
    [
        path("", ReachByBriefingView.as_view(), name="by_briefing"),
        path(
            "results/",
            ReachByBriefingView.as_view(results_only=True),
            name="by_briefing_results",
        ),
        path("agencies/", ReachByAgencyView.as_view(), name="by_agency"),
        path(
            "agencies/results/",
            ReachByAgencyView.as_view(results_only=True),
            name="by_agency_results",
        ),
    ],
    "briefing_reports",
)


@hooks.register("register_admin_urls")
def register_reach_urls():
    return [path("reports/briefing-reach/", include(report_urls))]


@hooks.register("register_reports_menu_item")
def register_reach_by_briefing():
    return MenuItemFor(
        "Briefing reach",
        reverse("briefing_reports:by_briefing"),
        name="briefing-reach",
        icon_name="doc-full",
        order=120,
        shown_to=reports.can_see_action_reports,
    )


@hooks.register("register_reports_menu_item")
def register_reach_by_agency():
    return MenuItemFor(
        "Briefing reach by agency",
        reverse("briefing_reports:by_agency"),
        name="briefing-reach-by-agency",
        icon_name="group",
        order=130,
        shown_to=reports.can_see_action_reports,
    )


@hooks.register("register_log_actions")
def register_acknowledged_action(actions):
    actions.register_action(
        briefings.ACKNOWLEDGED, "Read and understood", "Marked read and understood"
    )


def _only_visible_briefings(pages, user):
    """Page listings in the admin hold briefings the access policy lets `user` see, and no
    other: a restricted briefing's title is itself something to keep."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from partnership.access import sees_everything, visible_to

    from .models import LearningBriefing

    if sees_everything(user):
        return pages
    briefing_type = ContentType.objects.get_for_model(LearningBriefing)
    visible = visible_to(user, LearningBriefing.objects.all()).values("pk")
    return pages.filter(~Q(content_type=briefing_type) | Q(pk__in=visible))


@hooks.register("construct_explorer_page_queryset")
def narrow_explorer(parent_page, pages, request):
    return _only_visible_briefings(pages, request.user)


@hooks.register("construct_page_chooser_queryset")
def narrow_page_chooser(pages, request):
    return _only_visible_briefings(pages, request.user)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_of_source_pseudonyms(request, page):
    """A warning after saving, as the review editor gives one: see `briefings.pseudonym_warning`."""
    if isinstance(page, LearningBriefing):
        warning = briefings.pseudonym_warning(page)
        if warning:
            messages.warning(request, warning)
